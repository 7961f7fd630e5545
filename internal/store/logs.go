package store

import (
	"unicode/utf8"

	"github.com/cwlogd/cwlogd/internal/model"
)

// LogTx is the part of Tx that keeps log groups, their streams and events,
// and resource policies.
//
// Deleting a group deletes its streams, their events and the resource
// policies attached to its ARN; deleting a stream deletes its events.
type LogTx interface {
	// LogGroup returns the group with StoredBytes filled in.
	LogGroup(s model.Scope, name string) (model.LogGroup, error)
	// CreateLogGroup inserts g; ErrConflict when s has a group of that name.
	CreateLogGroup(s model.Scope, g model.LogGroup) error
	// UpdateLogGroup replaces the attributes of the existing group g.Name
	// (retention, tags, …); ErrNotFound when there is none. Its streams and
	// events are kept.
	UpdateLogGroup(s model.Scope, g model.LogGroup) error
	DeleteLogGroup(s model.Scope, name string) error
	// ListLogGroups returns groups ordered by name, with StoredBytes.
	ListLogGroups(s model.Scope, q GroupQuery) ([]model.LogGroup, error)
	CountLogGroups(s model.Scope) (int, error)

	// LogStream returns a stream of an existing group; ErrNotFound when the
	// group or the stream is missing.
	LogStream(s model.Scope, group, name string) (model.LogStream, error)
	// CreateLogStream inserts st into group: ErrNotFound when the group is
	// missing, ErrConflict when it has a stream of that name. Only Name and
	// CreationTime of st are used.
	CreateLogStream(s model.Scope, group string, st model.LogStream) error
	DeleteLogStream(s model.Scope, group, name string) error
	// ListLogStreams lists the streams of an existing group (ErrNotFound
	// when it is missing).
	ListLogStreams(s model.Scope, group string, q StreamQuery) ([]model.LogStream, error)

	// AppendLogEvents appends evs, in order, to a stream: each gets the next
	// Seq; the stream's first/last event timestamps, last ingestion time,
	// stored bytes, event count and LastSeq follow. ErrNotFound when the
	// group or stream is missing. It returns the stream as updated.
	AppendLogEvents(s model.Scope, group, stream string, evs []model.LogEvent) (model.LogStream, error)
	// LogEvents reads the events of an existing group (ErrNotFound when it
	// is missing) in (Timestamp, Seq) order, with Stream set.
	LogEvents(s model.Scope, group string, q EventQuery) ([]model.LogEvent, error)
	// PurgeLogEvents deletes, across all scopes, up to limit events whose
	// Timestamp is older than nowMillis minus their group's retention, and
	// returns how many it deleted. Stream sizes and counts follow; stream
	// first/last timestamps are kept, as AWS keeps them.
	PurgeLogEvents(nowMillis int64, limit int) (int, error)

	// ResourcePolicies lists the policies attached to resourceArn ("" for
	// the account-scoped ones), ordered by name.
	ResourcePolicies(s model.Scope, resourceArn string) ([]model.ResourcePolicy, error)
	// PutResourcePolicy inserts or replaces the policy (p.ResourceArn, p.Name).
	PutResourcePolicy(s model.Scope, p model.ResourcePolicy) error
	// DeleteResourcePolicy deletes a policy; ErrNotFound when missing.
	DeleteResourcePolicy(s model.Scope, resourceArn, name string) error
}

// GroupQuery selects log groups: names with Prefix, strictly after After,
// at most Limit of them (Limit > 0).
type GroupQuery struct {
	Prefix string
	After  string
	Limit  int
}

// StreamQuery selects log streams of a group, ordered by name or, with
// ByLastEvent, by (LastEventTimestamp, Name) — streams without events sort
// as timestamp 0 — ascending or Descending, strictly after After (nil: from
// the first), at most Limit (> 0). Prefix filters names.
type StreamQuery struct {
	Prefix      string
	ByLastEvent bool
	Descending  bool
	After       *StreamKey
	Limit       int
}

// StreamKey is the position of a stream in a StreamQuery's order.
type StreamKey struct {
	LastEventTimestamp int64
	Name               string
}

// EventQuery selects events of a group: of the named Streams (nil: every
// stream) or of streams named with StreamPrefix, with Start <= Timestamp
// and, when End > 0, Timestamp < End; in (Timestamp, Seq) order, ascending
// or Descending, strictly after After in that order (nil: from the first),
// at most Limit (> 0).
type EventQuery struct {
	Streams      []string
	StreamPrefix string
	Start, End   int64
	After        *EventKey
	Descending   bool
	Limit        int
}

// EventKey is the position of an event in an EventQuery's order.
type EventKey struct {
	Timestamp int64
	Seq       int64
}

// PrefixEnd returns the least string greater than every string that starts
// with prefix (for a range scan name >= prefix AND name < end), or "" when
// there is none or prefix is "". It increments the last code point, so it
// works for bytewise UTF-8 ordering.
func PrefixEnd(prefix string) string {
	for prefix != "" {
		r, size := utf8.DecodeLastRuneInString(prefix)
		head := prefix[:len(prefix)-size]
		switch {
		case r == utf8.RuneError && size <= 1:
			return "" // not UTF-8: no safe bound
		case r == 0xD7FF:
			return head + string(rune(0xE000)) // skip the surrogates
		case r < utf8.MaxRune:
			return head + string(r+1)
		}
		prefix = head // U+10FFFF cannot be incremented: carry
	}
	return ""
}
