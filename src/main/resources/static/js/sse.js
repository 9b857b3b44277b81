// Server-sent events read with fetch, so that every event is seen whatever its name, and the
// stream can be stopped with an AbortController.

/**
 * Reads `url` as text/event-stream, calling `onData(JSON.parse(data))` for every event until
 * the server ends the stream or `signal` aborts. Resolves when the stream ends.
 */
export async function follow(url, onData, signal) {
  const response = await fetch(url, { headers: { Accept: 'text/event-stream' }, signal });
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, '')).join('\n');
      if (data) {
        try {
          onData(JSON.parse(data));
        } catch {
          // not JSON: nothing to show
        }
      }
    }
  }
}
