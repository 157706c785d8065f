// The parts of autocannon's API the HTTP benchmark uses (the package ships no types).
declare module 'autocannon' {
  interface Options {
    url: string;
    method?: 'GET' | 'POST';
    headers?: Record<string, string>;
    body?: string;
    connections?: number;
    duration?: number;
    overallRate?: number;
  }
  interface Histogram {
    average: number;
    p50: number;
    p90: number;
    p99: number;
  }
  interface RequestHistogram extends Histogram {
    /** Requests completed (answered, whatever the status). */
    total: number;
  }
  interface Result {
    requests: RequestHistogram;
    latency: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
