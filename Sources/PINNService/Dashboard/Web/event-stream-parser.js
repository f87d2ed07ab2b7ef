// The text/event-stream format (Server-Sent Events, as the WHATWG HTML standard parses it), fed in chunks as they
// arrive (pure: tested in Tests/DashboardTests). Lines end with \n (what the server sends); a trailing \r is dropped.

export class EventStreamParser {
  /** `lastEventId` and `retry` (milliseconds) carry over from an earlier connection; the stream's `id:` and
   *  `retry:` fields update them. */
  constructor({ lastEventId = '', retry = 2000 } = {}) {
    this.lastEventId = lastEventId;
    this.retry = retry;
    this.buffer = '';
    this.name = '';
    this.data = [];
  }

  /** Parses `text`, keeping an unfinished line for the next call; returns the events it completed, each
   *  {name, data}: `name` is `message` when the block had no `event:` field, `data` its `data:` lines joined by \n.
   *  A blank line ends a block; a block without data (comments, an id alone) is no event. */
  push(text) {
    this.buffer += text;
    const events = [];
    let end;
    while ((end = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, end).replace(/\r$/, '');
      this.buffer = this.buffer.slice(end + 1);
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  line(line) {
    if (line === '') {
      const event = this.data.length ? { name: this.name || 'message', data: this.data.join('\n') } : null;
      this.name = '';
      this.data = [];
      return event;
    }
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') this.name = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    else if (field === 'retry' && /^[0-9]+$/.test(value)) this.retry = Number(value);
    return null;
  }
}
