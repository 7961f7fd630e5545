package service

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/cwlogd/cwlogd/internal/api"
	"github.com/cwlogd/cwlogd/internal/awserr"
	"github.com/cwlogd/cwlogd/internal/model"
	"github.com/cwlogd/cwlogd/internal/store"
)

// CreateLogStream creates a log stream in a log group.
func (s *Service) CreateLogStream(ctx context.Context, sc model.Scope, in *api.CreateLogStreamInput) (*api.CreateLogStreamOutput, error) {
	group := deref(in.LogGroupName)
	st := model.LogStream{Name: deref(in.LogStreamName), CreationTime: s.nowMillis()}
	err := s.store.Update(ctx, func(tx store.Tx) error {
		switch err := tx.CreateLogStream(sc, group, st); {
		case errors.Is(err, store.ErrConflict):
			return awserr.New(awserr.ResourceAlreadyExists, msgStreamExists)
		default:
			return groupNotFound(err)
		}
	})
	if err := s.finish(ctx, "CreateLogStream", err); err != nil {
		return nil, err
	}
	return &api.CreateLogStreamOutput{}, nil
}

// DeleteLogStream deletes a log stream and its events.
func (s *Service) DeleteLogStream(ctx context.Context, sc model.Scope, in *api.DeleteLogStreamInput) (*api.DeleteLogStreamOutput, error) {
	group, name := deref(in.LogGroupName), deref(in.LogStreamName)
	err := s.store.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.LogGroup(sc, group); err != nil {
			return groupNotFound(err)
		}
		return notFound(tx.DeleteLogStream(sc, group, name), msgStreamNotFound)
	})
	if err := s.finish(ctx, "DeleteLogStream", err); err != nil {
		return nil, err
	}
	return &api.DeleteLogStreamOutput{}, nil
}

// DescribeLogStreams lists the streams of a group by name or by last event
// time.
func (s *Service) DescribeLogStreams(ctx context.Context, sc model.Scope, in *api.DescribeLogStreamsInput) (*api.DescribeLogStreamsOutput, error) {
	group, err := groupParam(sc, in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	byTime := deref(in.OrderBy) == "LastEventTime"
	if byTime && in.LogStreamNamePrefix != nil {
		return nil, awserr.New(awserr.InvalidParameter, msgOrderWithPrefix)
	}
	desc := in.Descending != nil && *in.Descending
	q := store.StreamQuery{Prefix: deref(in.LogStreamNamePrefix), ByLastEvent: byTime, Descending: desc}
	listing := store.Listing("log-streams", sc.Account, sc.Region, group, q.Prefix, strconv.FormatBool(byTime), strconv.FormatBool(desc))
	p, err := newPager(listing, in.NextToken, in.Limit, awserr.InvalidParameter)
	if err != nil {
		return nil, err
	}
	if p.after != "" {
		k, ok := decodeStreamKey(p.after)
		if !ok {
			return nil, awserr.New(awserr.InvalidParameter, msgInvalidNextToken)
		}
		q.After = &k
	}
	q.Limit = p.limit + 1
	var streams []model.LogStream
	var arn string
	err = s.store.View(ctx, func(tx store.Tx) error {
		g, err := tx.LogGroup(sc, group)
		if err != nil {
			return groupNotFound(err)
		}
		arn = g.Arn
		streams, err = tx.ListLogStreams(sc, group, q)
		return groupNotFound(err)
	})
	if err := s.finish(ctx, "DescribeLogStreams", err); err != nil {
		return nil, err
	}
	streams = page(p, streams, func(st model.LogStream) string {
		return encodeStreamKey(store.StreamKey{LastEventTimestamp: st.LastEventTimestamp, Name: st.Name})
	})
	out := &api.DescribeLogStreamsOutput{LogStreams: make([]api.LogStream, 0, len(streams)), NextToken: p.next}
	for _, st := range streams {
		out.LogStreams = append(out.LogStreams, logStreamOut(arn, st))
	}
	return out, nil
}

// logStreamOut is the DescribeLogStreams item: storedBytes is always 0, as
// AWS has answered since 2019; event fields appear once the stream has one.
func logStreamOut(groupArn string, st model.LogStream) api.LogStream {
	out := api.LogStream{
		LogStreamName: ptr(st.Name),
		CreationTime:  ptr(st.CreationTime),
		Arn:           ptr(groupArn + ":log-stream:" + st.Name),
		StoredBytes:   ptr(int64(0)),
	}
	if st.LastSeq > 0 {
		out.FirstEventTimestamp = ptr(st.FirstEventTimestamp)
		out.LastEventTimestamp = ptr(st.LastEventTimestamp)
		out.LastIngestionTime = ptr(st.LastIngestionTime)
		out.UploadSequenceToken = ptr(sequenceToken(st.LastSeq))
	}
	return out
}

// sequenceToken renders an upload sequence as AWS does: 56 digits.
func sequenceToken(seq int64) string {
	s := strconv.FormatInt(seq, 10)
	return strings.Repeat("0", 56-len(s)) + s
}

func encodeStreamKey(k store.StreamKey) string {
	return strconv.FormatInt(k.LastEventTimestamp, 10) + "/" + k.Name
}

func decodeStreamKey(s string) (store.StreamKey, bool) {
	ts, name, ok := strings.Cut(s, "/")
	n, err := strconv.ParseInt(ts, 10, 64)
	if !ok || err != nil {
		return store.StreamKey{}, false
	}
	return store.StreamKey{LastEventTimestamp: n, Name: name}, true
}
