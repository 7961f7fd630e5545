package api

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// DecodeFast decodes the common form of a PutLogEvents body — an object of
// string members and logEvents, a list of {timestamp, message} objects —
// in one pass, with one allocation for all messages. It reports false,
// leaving x zero, for anything else (another member, null, a
// non-integer timestamp, invalid UTF-8, malformed JSON): the caller then
// decodes with encoding/json, whose answers (and errors) are the reference.
// Batches of up to 10,000 events make this the hot path of ingestion.
func (x *PutLogEventsInput) DecodeFast(b []byte) (ok bool) {
	defer func() {
		if !ok {
			*x = PutLogEventsInput{} // encoding/json starts afresh
		}
	}()
	d := fastDecoder{b: b}
	var ts []int64
	var ends []int // end offset of each message in d.text
	if !d.consume('{') {
		return false
	}
	if d.peek() == '}' {
		d.i++
		return d.end()
	}
	for {
		key, ok := d.rawKey()
		if !ok || !d.consume(':') {
			return false
		}
		switch string(key) {
		case "logGroupName", "logStreamName", "sequenceToken":
			s, ok := d.str()
			if !ok {
				return false
			}
			switch string(key) {
			case "logGroupName":
				x.LogGroupName = &s
			case "logStreamName":
				x.LogStreamName = &s
			default:
				x.SequenceToken = &s
			}
		case "logEvents":
			ts, ends = ts[:0], ends[:0]
			// The messages cannot be longer than the body they come from.
			d.text = make([]byte, 0, len(d.b)-d.i)
			if !d.consume('[') {
				return false
			}
			if d.peek() == ']' {
				d.i++
			} else {
				for {
					t, ok := d.event(&d.text)
					if !ok {
						return false
					}
					ts, ends = append(ts, t), append(ends, len(d.text))
					if d.consume(',') {
						continue
					}
					if !d.consume(']') {
						return false
					}
					break
				}
			}
			x.LogEvents = buildEvents(ts, ends, string(d.text))
		default:
			return false
		}
		if d.consume(',') {
			continue
		}
		if !d.consume('}') {
			return false
		}
		return d.end()
	}
}

// buildEvents makes the events with their fields in two backing arrays, so
// a batch costs a handful of allocations whatever its size.
func buildEvents(ts []int64, ends []int, text string) []InputLogEvent {
	evs := make([]InputLogEvent, len(ts))
	times := make([]int64, len(ts))
	msgs := make([]string, len(ts))
	start := 0
	for i := range evs {
		times[i], msgs[i] = ts[i], text[start:ends[i]]
		start = ends[i]
		evs[i] = InputLogEvent{Timestamp: &times[i], Message: &msgs[i]}
	}
	return evs
}

// plain marks the bytes a JSON string holds as they are: not '"', '\\' or
// a control character.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

type fastDecoder struct {
	b    []byte
	i    int
	text []byte // the messages, unescaped, back to back
}

func (d *fastDecoder) skipSpace() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *fastDecoder) peek() byte {
	d.skipSpace()
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

func (d *fastDecoder) consume(c byte) bool {
	if d.peek() == c {
		d.i++
		return true
	}
	return false
}

// end reports whether only blanks follow.
func (d *fastDecoder) end() bool {
	d.skipSpace()
	return d.i == len(d.b)
}

// rawKey reads a member name without escapes (every name this decoder
// knows is plain ASCII; an escaped one goes to the slow path).
func (d *fastDecoder) rawKey() ([]byte, bool) {
	if !d.consume('"') {
		return nil, false
	}
	start := d.i
	for d.i < len(d.b) {
		switch c := d.b[d.i]; {
		case c == '"':
			d.i++
			return d.b[start : d.i-1], true
		case c == '\\' || c < 0x20:
			return nil, false
		}
		d.i++
	}
	return nil, false
}

// str reads a string value.
func (d *fastDecoder) str() (string, bool) {
	var buf []byte
	if !d.appendStr(&buf) {
		return "", false
	}
	return string(buf), true
}

// appendStr appends the unescaped value of a JSON string to *dst.
func (d *fastDecoder) appendStr(dst *[]byte) bool {
	if !d.consume('"') {
		return false
	}
	for {
		start, i, b := d.i, d.i, d.b
		for i < len(b) && plain[b[i]] {
			i++
		}
		d.i = i
		chunk := b[start:i]
		if !utf8.Valid(chunk) {
			return false // encoding/json replaces invalid bytes; let it
		}
		*dst = append(*dst, chunk...)
		if d.i >= len(d.b) || d.b[d.i] < 0x20 {
			return false
		}
		if d.b[d.i] == '"' {
			d.i++
			return true
		}
		d.i++ // the backslash
		if d.i >= len(d.b) {
			return false
		}
		switch c := d.b[d.i]; c {
		case '"', '\\', '/':
			*dst = append(*dst, c)
		case 'b':
			*dst = append(*dst, '\b')
		case 'f':
			*dst = append(*dst, '\f')
		case 'n':
			*dst = append(*dst, '\n')
		case 'r':
			*dst = append(*dst, '\r')
		case 't':
			*dst = append(*dst, '\t')
		case 'u':
			r, ok := d.hex4(d.i + 1)
			if !ok {
				return false
			}
			d.i += 4
			if utf16.IsSurrogate(r) {
				r2, ok := rune(-1), false
				if d.i+2 < len(d.b) && d.b[d.i+1] == '\\' && d.b[d.i+2] == 'u' {
					r2, ok = d.hex4(d.i + 3)
				}
				if dec := utf16.DecodeRune(r, r2); ok && dec != utf8.RuneError {
					r = dec
					d.i += 6
				} else {
					r = utf8.RuneError // a lone surrogate, as encoding/json renders it
				}
			}
			*dst = utf8.AppendRune(*dst, r)
		default:
			return false
		}
		d.i++
	}
}

func (d *fastDecoder) hex4(at int) (rune, bool) {
	if at+4 > len(d.b) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(d.b[at:at+4]), 16, 16)
	return rune(n), err == nil
}

// event reads one {"timestamp": N, "message": "…"} object, appending the
// message to *text; both members are needed (a missing one takes the slow
// path, whose validation reports it).
func (d *fastDecoder) event(text *[]byte) (int64, bool) {
	if !d.consume('{') {
		return 0, false
	}
	var ts int64
	seenTS, seenMsg := false, false
	for {
		key, ok := d.rawKey()
		if !ok || !d.consume(':') {
			return 0, false
		}
		switch string(key) {
		case "timestamp":
			if seenTS {
				return 0, false
			}
			if ts, ok = d.integer(); !ok {
				return 0, false
			}
			seenTS = true
		case "message":
			if seenMsg || !d.appendStr(text) {
				return 0, false
			}
			seenMsg = true
		default:
			return 0, false
		}
		if d.consume(',') {
			continue
		}
		if !d.consume('}') || !seenTS || !seenMsg {
			return 0, false
		}
		return ts, true
	}
}

// integer reads a JSON integer that fits an int64.
func (d *fastDecoder) integer() (int64, bool) {
	d.skipSpace()
	start := d.i
	if d.i < len(d.b) && d.b[d.i] == '-' {
		d.i++
	}
	digits := d.i
	for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
		d.i++
	}
	if d.i == digits || (d.b[digits] == '0' && d.i-digits > 1) {
		return 0, false
	}
	if d.i < len(d.b) && (d.b[d.i] == '.' || d.b[d.i] == 'e' || d.b[d.i] == 'E') {
		return 0, false
	}
	if d.i-digits > 18 {
		return 0, false // may not fit: leave it to encoding/json
	}
	var n int64
	for _, c := range d.b[digits:d.i] {
		n = n*10 + int64(c-'0')
	}
	if digits > start {
		n = -n
	}
	return n, true
}
