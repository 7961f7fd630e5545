package service

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cwlogd/cwlogd/internal/api"
	"github.com/cwlogd/cwlogd/internal/awserr"
	"github.com/cwlogd/cwlogd/internal/filterpattern"
	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
)

// PutLogEvents limits, as AWS documents them.
const (
	maxBatchBytes = 1_048_576 // messages' UTF-8 bytes plus eventOverhead each
	maxEventBytes = 1_048_576 // one message plus eventOverhead
	eventOverhead = 26
	dayMillis     = int64(24 * time.Hour / time.Millisecond)
	tooNewMillis  = int64(2 * time.Hour / time.Millisecond)
	tooOldMillis  = 14 * dayMillis
)

// maxResponseBytes caps the events of one GetLogEvents/FilterLogEvents
// page, counted like PutLogEvents counts them.
const maxResponseBytes = 1_048_576

// PutLogEvents appends a batch of events to a stream. Events too old, too
// new or past the group's retention are left out and reported; sequence
// tokens are accepted and ignored, as AWS has done since 2023.
func (s *Service) PutLogEvents(ctx context.Context, sc model.Scope, in *api.PutLogEventsInput) (*api.PutLogEventsOutput, error) {
	evs := in.LogEvents
	total := 0
	for i, e := range evs {
		size := len(*e.Message) + eventOverhead
		if size > maxEventBytes {
			return nil, awserr.New(awserr.InvalidParameter, fmt.Sprintf("Log event too large: %d bytes exceeds limit of %d", size, maxEventBytes))
		}
		total += size
		if i > 0 && *e.Timestamp < *evs[i-1].Timestamp {
			return nil, awserr.New(awserr.InvalidParameter, "Log events in a single PutLogEvents request must be in chronological order.")
		}
	}
	if total > maxBatchBytes {
		return nil, awserr.New(awserr.InvalidParameter, fmt.Sprintf("Upload too large: %d bytes exceeds limit of %d", total, maxBatchBytes))
	}
	group, stream := deref(in.LogGroupName), deref(in.LogStreamName)
	out := &api.PutLogEventsOutput{}
	err := s.store.Update(ctx, func(tx store.Tx) error {
		g, err := tx.LogGroup(sc, group)
		if err != nil {
			return groupNotFound(err)
		}
		now := s.nowMillis()
		r := classify(evs, now, g.RetentionInDays)
		if r.validEnd > r.validStart && *evs[r.validEnd-1].Timestamp-*evs[r.validStart].Timestamp > dayMillis {
			return awserr.New(awserr.InvalidParameter, "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
		}
		out.RejectedLogEventsInfo = r.info(len(evs))
		batch := make([]model.LogEvent, 0, r.validEnd-r.validStart)
		for _, e := range evs[r.validStart:r.validEnd] {
			batch = append(batch, model.LogEvent{Timestamp: *e.Timestamp, IngestionTime: now, Message: *e.Message})
		}
		var st model.LogStream
		if len(batch) == 0 {
			st, err = tx.LogStream(sc, group, stream)
		} else {
			st, err = tx.AppendLogEvents(sc, group, stream, batch)
		}
		if err != nil {
			return notFound(err, msgStreamNotFound)
		}
		out.NextSequenceToken = ptr(sequenceToken(st.LastSeq))
		return nil
	})
	if err := s.finish(ctx, "PutLogEvents", err); err != nil {
		return nil, err
	}
	return out, nil
}

// rejects splits a chronological batch: [0, tooOldEnd) older than 14 days,
// [tooOldEnd, validStart) past the retention, [validEnd, n) more than two
// hours ahead.
type rejects struct{ tooOldEnd, validStart, validEnd int }

func classify(evs []api.InputLogEvent, now int64, retentionDays int) rejects {
	var r rejects
	n := len(evs)
	for r.tooOldEnd < n && *evs[r.tooOldEnd].Timestamp < now-tooOldMillis {
		r.tooOldEnd++
	}
	r.validStart = r.tooOldEnd
	if retentionDays > 0 {
		for r.validStart < n && *evs[r.validStart].Timestamp < now-int64(retentionDays)*dayMillis {
			r.validStart++
		}
	}
	r.validEnd = n
	for r.validEnd > r.validStart && *evs[r.validEnd-1].Timestamp > now+tooNewMillis {
		r.validEnd--
	}
	return r
}

func (r rejects) info(n int) *api.RejectedLogEventsInfo {
	var info api.RejectedLogEventsInfo
	if r.tooOldEnd > 0 {
		info.TooOldLogEventEndIndex = ptr(int32(r.tooOldEnd))
	}
	if r.validStart > r.tooOldEnd {
		info.ExpiredLogEventEndIndex = ptr(int32(r.validStart))
	}
	if r.validEnd < n {
		info.TooNewLogEventStartIndex = ptr(int32(r.validEnd))
	}
	if info == (api.RejectedLogEventsInfo{}) {
		return nil
	}
	return &info
}

// retentionStart raises start to the oldest timestamp the group's
// retention still keeps: expired events are never returned, even before
// the purge deletes them. The cutoff is the one PutLogEvents and the purge
// use: older than now minus the retention is expired.
func retentionStart(start, now int64, days int) int64 {
	if days > 0 {
		return max(start, now-int64(days)*dayMillis)
	}
	return start
}

// GetLogEvents reads one stream in time order, a page at a time, forwards
// or backwards.
//
// A token names a gap between events: the gap just after position (ts,
// seq) of the (Timestamp, Seq) order. "f/" reads the events after the gap,
// "b/" the events before it. A page's forward token is the gap after its
// last event, its backward token the gap before its first; a page with no
// events returns the token it was given, as AWS does at the end of a
// stream.
func (s *Service) GetLogEvents(ctx context.Context, sc model.Scope, in *api.GetLogEventsInput) (*api.GetLogEventsOutput, error) {
	group, err := groupParam(sc, in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	stream := deref(in.LogStreamName)
	bind := tokenBinding(sc, group, stream)
	q := store.EventQuery{Streams: []string{stream}, Limit: 10_000}
	if in.Limit != nil {
		q.Limit = int(*in.Limit)
	}
	if in.StartTime != nil {
		q.Start = *in.StartTime
	}
	// An endTime at or before the epoch leaves no event (End 0 means no
	// bound to the store).
	empty := false
	if in.EndTime != nil {
		q.End = *in.EndTime
		empty = q.End <= 0
	}
	forward := in.StartFromHead != nil && *in.StartFromHead
	var gap *store.EventKey
	if in.NextToken != nil {
		dir, k, ok := decodeEventToken(*in.NextToken, bind)
		if !ok {
			return nil, awserr.New(awserr.InvalidParameter, msgInvalidNextToken)
		}
		forward, gap = dir == 'f', &k
	}
	q.Descending = !forward
	if gap != nil {
		q.After = gap
		if !forward && gap.Seq < math.MaxInt64 {
			q.After = &store.EventKey{Timestamp: gap.Timestamp, Seq: gap.Seq + 1}
		}
	}
	var evs []model.LogEvent
	err = s.store.View(ctx, func(tx store.Tx) error {
		g, err := tx.LogGroup(sc, group)
		if err != nil {
			return groupNotFound(err)
		}
		if _, err := tx.LogStream(sc, group, stream); err != nil {
			return notFound(err, msgStreamNotFound)
		}
		q.Start = retentionStart(q.Start, s.nowMillis(), g.RetentionInDays)
		if empty {
			return nil
		}
		evs, err = tx.LogEvents(sc, group, q)
		return err
	})
	if err := s.finish(ctx, "GetLogEvents", err); err != nil {
		return nil, err
	}
	evs = capBytes(evs)
	if q.Descending {
		slices.Reverse(evs)
	}
	out := &api.GetLogEventsOutput{Events: make([]api.OutputLogEvent, 0, len(evs))}
	for _, e := range evs {
		out.Events = append(out.Events, api.OutputLogEvent{Timestamp: ptr(e.Timestamp), Message: ptr(e.Message), IngestionTime: ptr(e.IngestionTime)})
	}
	fwd, bwd := store.EventKey{Timestamp: q.Start}, store.EventKey{Timestamp: q.Start}
	switch {
	case len(evs) > 0:
		first, last := evs[0], evs[len(evs)-1]
		fwd = store.EventKey{Timestamp: last.Timestamp, Seq: last.Seq}
		bwd = store.EventKey{Timestamp: first.Timestamp, Seq: first.Seq - 1}
	case gap != nil:
		fwd, bwd = *gap, *gap
	}
	out.NextForwardToken = ptr(encodeEventToken('f', fwd, bind))
	out.NextBackwardToken = ptr(encodeEventToken('b', bwd, bind))
	return out, nil
}

// capBytes keeps the leading events that fit in one response.
func capBytes(evs []model.LogEvent) []model.LogEvent {
	total := 0
	for i, e := range evs {
		total += len(e.Message) + eventOverhead
		if total > maxResponseBytes {
			return evs[:max(i, 1)]
		}
	}
	return evs
}

// Event tokens look like AWS's: "f/" or "b/", 56 digits, "/s". The digits
// are the gap's timestamp (20, as unsigned), its seq (19) and a check (17)
// that binds the token to its stream and refuses edits.
func encodeEventToken(dir byte, k store.EventKey, bind uint64) string {
	return fmt.Sprintf("%c/%020d%019d%017d/s", dir, uint64(k.Timestamp), k.Seq, tokenCheck(dir, k, bind))
}

func decodeEventToken(tok string, bind uint64) (dir byte, k store.EventKey, ok bool) {
	tok = strings.TrimSuffix(tok, "/s")
	if len(tok) != 2+56 || (tok[0] != 'f' && tok[0] != 'b') || tok[1] != '/' {
		return 0, k, false
	}
	ts, err1 := strconv.ParseUint(tok[2:22], 10, 64)
	seq, err2 := strconv.ParseInt(tok[22:41], 10, 64)
	check, err3 := strconv.ParseUint(tok[41:], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return 0, k, false
	}
	k = store.EventKey{Timestamp: int64(ts), Seq: seq}
	if check != tokenCheck(tok[0], k, bind) {
		return 0, k, false
	}
	return tok[0], k, true
}

func tokenCheck(dir byte, k store.EventKey, bind uint64) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%c/%d/%d", bind, dir, k.Timestamp, k.Seq)
	return h.Sum64() % 1e17
}

// tokenBinding identifies what a token may be used for.
func tokenBinding(sc model.Scope, parts ...string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(sc.Account + "\x00" + sc.Region))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	return h.Sum64()
}

// FilterLogEvents limits.
const (
	filterChunk = 1_000
	// filterScanBudget is how many events one call examines before it
	// answers with what it found and a token, as AWS answers partial pages.
	filterScanBudget = 250_000
	// filterTimeBudget bounds one call's scan in time, for patterns that
	// are slow on large messages.
	filterTimeBudget = 2 * time.Second
)

// startFromHeadFalseFrom is the oldest startTime FilterLogEvents accepts
// with startFromHead=false (2024-01-01T00:00:00Z).
const startFromHeadFalseFrom = 1704067200000

// FilterLogEvents searches the streams of a group with a filter pattern,
// interleaving streams in time order.
func (s *Service) FilterLogEvents(ctx context.Context, sc model.Scope, in *api.FilterLogEventsInput) (*api.FilterLogEventsOutput, error) {
	group, err := groupParam(sc, in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	if in.LogStreamNames != nil && in.LogStreamNamePrefix != nil {
		return nil, awserr.New(awserr.InvalidParameter, "logStreamNames and logStreamNamePrefix are mutually exclusive parameters.")
	}
	pat, err := filterpattern.Parse(deref(in.FilterPattern))
	if err != nil {
		return nil, awserr.New(awserr.InvalidParameter, err.Error())
	}
	forward := in.StartFromHead == nil || *in.StartFromHead
	if !forward && in.StartTime != nil && *in.StartTime < startFromHeadFalseFrom {
		return nil, awserr.New(awserr.InvalidParameter, "startFromHead=false is only supported with a startTime on or after 2024-01-01T00:00:00Z.")
	}
	q := store.EventQuery{Streams: in.LogStreamNames, StreamPrefix: deref(in.LogStreamNamePrefix), Descending: !forward, Limit: filterChunk}
	if in.StartTime != nil {
		q.Start = *in.StartTime
	}
	empty := false
	if in.EndTime != nil {
		// endTime is inclusive here, unlike GetLogEvents'.
		q.End = *in.EndTime + 1
		empty = q.End <= 0 || q.End < q.Start
	}
	limit := 10_000
	if in.Limit != nil {
		limit = int(*in.Limit)
	}
	listing := store.Listing("filter", sc.Account, sc.Region, group, strings.Join(in.LogStreamNames, "\x02"), q.StreamPrefix,
		strconv.FormatInt(q.Start, 10), strconv.FormatInt(q.End, 10), deref(in.FilterPattern), strconv.FormatBool(forward))
	if in.NextToken != nil {
		k, ok := decodeFilterKey(listing, *in.NextToken)
		if !ok {
			return nil, awserr.New(awserr.InvalidParameter, msgInvalidNextToken)
		}
		q.After = &k
	}
	var found []model.LogEvent
	var resume *store.EventKey
	err = s.store.View(ctx, func(tx store.Tx) error {
		found, resume = nil, nil
		g, err := tx.LogGroup(sc, group)
		if err != nil {
			return groupNotFound(err)
		}
		if empty {
			return nil
		}
		q.Start = retentionStart(q.Start, s.nowMillis(), g.RetentionInDays)
		size, scanned := 0, 0
		deadline := time.Now().Add(filterTimeBudget)
		matchAll := pat.MatchAll()
		for {
			chunk, err := tx.LogEvents(sc, group, q)
			if err != nil {
				return err
			}
			for i, e := range chunk {
				if i > 0 && i%64 == 0 && time.Now().After(deadline) {
					// Slow patterns answer in time too: resume after the
					// last event examined.
					resume = &store.EventKey{Timestamp: chunk[i-1].Timestamp, Seq: chunk[i-1].Seq}
					return nil
				}
				scanned++
				if matchAll || pat.Match(e.Message) {
					size += len(e.Message) + eventOverhead
					if size > maxResponseBytes && len(found) > 0 {
						resume = &store.EventKey{Timestamp: found[len(found)-1].Timestamp, Seq: found[len(found)-1].Seq}
						return nil
					}
					found = append(found, e)
					if len(found) == limit {
						resume = &store.EventKey{Timestamp: e.Timestamp, Seq: e.Seq}
						return nil
					}
				}
			}
			if len(chunk) < q.Limit {
				return nil // the streams are exhausted
			}
			last := chunk[len(chunk)-1]
			q.After = &store.EventKey{Timestamp: last.Timestamp, Seq: last.Seq}
			if scanned >= filterScanBudget || time.Now().After(deadline) {
				resume = q.After
				return nil
			}
		}
	})
	if err := s.finish(ctx, "FilterLogEvents", err); err != nil {
		return nil, err
	}
	out := &api.FilterLogEventsOutput{Events: make([]api.FilteredLogEvent, 0, len(found)), SearchedLogStreams: []api.SearchedLogStream{}}
	for _, e := range found {
		out.Events = append(out.Events, api.FilteredLogEvent{
			LogStreamName: ptr(e.Stream),
			Timestamp:     ptr(e.Timestamp),
			Message:       ptr(e.Message),
			IngestionTime: ptr(e.IngestionTime),
			EventId:       ptr(eventID(sc, group, e)),
		})
	}
	if resume != nil {
		out.NextToken = ptr(store.EncodeToken(listing, strconv.FormatInt(resume.Timestamp, 10)+"/"+strconv.FormatInt(resume.Seq, 10)))
	}
	return out, nil
}

func decodeFilterKey(listing, token string) (store.EventKey, bool) {
	last, ok := store.DecodeToken(listing, token)
	if !ok {
		return store.EventKey{}, false
	}
	ts, seq, ok := strings.Cut(last, "/")
	t, err1 := strconv.ParseInt(ts, 10, 64)
	n, err2 := strconv.ParseInt(seq, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return store.EventKey{}, false
	}
	return store.EventKey{Timestamp: t, Seq: n}, true
}

// eventID is a stable 56-digit id, the form AWS's event ids have.
func eventID(sc model.Scope, group string, e model.LogEvent) string {
	return fmt.Sprintf("%020d%019d%017d", uint64(e.Timestamp), e.Seq, tokenBinding(sc, group, e.Stream)%1e17)
}
