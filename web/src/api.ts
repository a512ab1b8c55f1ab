/** Calls to the server: reads are GETs; writes are JSON POSTs with the app's write header. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function parse<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) throw new ApiError(body.error ?? `HTTP ${response.status}`, response.status);
  return body as T;
}

export function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === "" || value === false) continue;
    search.set(key, value === true ? "1" : String(value));
  }
  return search.toString();
}

export async function get<T>(
  path: string,
  params: Record<string, string | number | boolean | undefined> = {},
): Promise<T> {
  const q = query(params);
  return parse<T>(await fetch(q ? `${path}?${q}` : path, { credentials: "same-origin" }));
}

export async function post<T>(path: string, body: unknown): Promise<T> {
  return parse<T>(
    await fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-careprobe-write": "1" },
      body: JSON.stringify(body),
    }),
  );
}

/** Remembered per browser: a reviewer gives their name once. */
export function remembered(key: string, value?: string): string {
  if (value !== undefined) localStorage.setItem(`careprobe.${key}`, value);
  return localStorage.getItem(`careprobe.${key}`) ?? "";
}
