import type { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import { outboundFetch } from './proxy.js';

/** The Web API client, and the configuration that says whether the upload URL is reached through a proxy. */
export interface Uploader {
  slack: WebClient;
  config: Pick<Config, 'proxy'>;
}

/** How long the bytes may take to reach Slack's upload URL. */
const UPLOAD_TIMEOUT_MS = 30_000;

export interface FileBytes {
  filename: string;
  contentType: string;
  bytes: Buffer;
  /** What an image shows, for screen readers (Slack's alt text). */
  altText?: string;
}

/**
 * First half of Slack's external upload: an upload URL is reserved and the bytes POSTed to it. The
 * file is not visible to anyone until `shareFile`; a caller can first make sure it has somewhere to
 * put it (a DM, a message announcing it).
 */
export async function sendFileBytes({ slack, config }: Uploader, file: FileBytes): Promise<string> {
  const target = await slack.files.getUploadURLExternal({ filename: file.filename, length: file.bytes.length, ...(file.altText ? { alt_text: file.altText.slice(0, 1000) } : {}) });
  if (!target.upload_url || !target.file_id) throw new Error('files.getUploadURLExternal returned no upload URL');
  const res = await outboundFetch(config.proxy)(target.upload_url, {
    method: 'POST',
    headers: { 'Content-Type': file.contentType },
    body: file.bytes,
    signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`the upload URL answered ${res.status}`);
  return target.file_id;
}

/** Second half: the uploaded file shared in a conversation, with its title and an optional comment. */
export async function shareFile(slack: WebClient, fileId: string, share: { title: string; channel: string; comment?: string }): Promise<void> {
  await slack.files.completeUploadExternal({
    files: [{ id: fileId, title: share.title }],
    channel_id: share.channel,
    ...(share.comment !== undefined ? { initial_comment: share.comment } : {}),
  });
}

/** Both halves: the file's id once it is shared. */
export async function uploadFile(uploader: Uploader, file: FileBytes, share: { title: string; channel: string; comment?: string }): Promise<string> {
  const fileId = await sendFileBytes(uploader, file);
  await shareFile(uploader.slack, fileId, share);
  return fileId;
}
