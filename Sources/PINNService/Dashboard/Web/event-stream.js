// A job's event stream (GET /v1/jobs/{id}/events) read over fetch, reconnecting as EventSource does.
import { ApiError, apiErrorOf, background, withToken } from './api.js';
import { EventStreamParser } from './event-stream-parser.js';

/** Server-Sent Events read over fetch, so the stream carries the API token like every other request:
 *  EventSource cannot send headers, and a token in the URL would land in access logs, proxies and the browser's
 *  history. It reconnects as EventSource does, after the server's `retry` (2 s) with Last-Event-ID, until
 *  `close()`. `handlers`: open(), event(name, data), trouble(error, fatal): fatal when the server refused
 *  the stream (an HTTP error: 401, 404, a server without the route), otherwise a lost connection about to be
 *  retried. */
export class EventStream {
  constructor(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.closed = false;
    this.lastEventId = '';
    this.retry = 2000;
    this.controller = null;
    background(this.run());
  }

  close() {
    this.closed = true;
    if (this.controller) this.controller.abort();
  }

  async run() {
    while (!this.closed) {
      const refused = await this.connect();
      if (this.closed) return;
      if (refused) {
        this.closed = true;
        this.handlers.trouble(refused, true);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, this.retry));
    }
  }

  /** One connection, read until it ends: the ApiError when the server refused it, else null. */
  async connect() {
    try {
      this.controller = new AbortController();
      const headers = withToken({ Accept: 'text/event-stream' });
      if (this.lastEventId) headers['Last-Event-ID'] = this.lastEventId;
      const response = await fetch(this.url, { headers, cache: 'no-store', signal: this.controller.signal });
      if (!response.ok || !response.body) return await apiErrorOf(response);
      this.handlers.open();
      await this.read(response.body.getReader());
      if (!this.closed) this.handlers.trouble(new ApiError(0, 'the event stream ended'), false);
    } catch (error) {
      if (!this.closed) this.handlers.trouble(new ApiError(0, 'the event stream broke off (' + error.message + ')'), false);
    }
    return null;
  }

  async read(reader) {
    const decoder = new TextDecoder();
    const parser = new EventStreamParser({ lastEventId: this.lastEventId, retry: this.retry });
    for (;;) {
      const { value, done } = await reader.read();
      if (done || this.closed) return;
      const events = parser.push(decoder.decode(value, { stream: true }));
      this.lastEventId = parser.lastEventId;
      this.retry = parser.retry;
      for (const event of events) if (!this.closed) this.handlers.event(event.name, event.data);
    }
  }
}
