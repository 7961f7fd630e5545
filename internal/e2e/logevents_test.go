package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

func mkStream(t *testing.T, c *cwl.Client, group, name string) {
	t.Helper()
	if _, err := c.CreateLogStream(ctx, &cwl.CreateLogStreamInput{LogGroupName: &group, LogStreamName: &name}); err != nil {
		t.Fatalf("CreateLogStream %s/%s: %v", group, name, err)
	}
}

// putEvents puts messages at timestamps base, base+1, … and returns the answer.
func putEvents(t *testing.T, c *cwl.Client, group, stream string, base int64, msgs ...string) *cwl.PutLogEventsOutput {
	t.Helper()
	evs := make([]types.InputLogEvent, len(msgs))
	for i, m := range msgs {
		evs[i] = types.InputLogEvent{Timestamp: aws.Int64(base + int64(i)), Message: aws.String(m)}
	}
	out, err := c.PutLogEvents(ctx, &cwl.PutLogEventsInput{LogGroupName: &group, LogStreamName: &stream, LogEvents: evs})
	if err != nil {
		t.Fatalf("PutLogEvents: %v", err)
	}
	return out
}

func nowMs() int64 { return time.Now().UnixMilli() }

func messages[E any](evs []E, msg func(E) *string) []string {
	var out []string
	for _, e := range evs {
		out = append(out, *msg(e))
	}
	return out
}

func outMsgs(evs []types.OutputLogEvent) []string {
	return messages(evs, func(e types.OutputLogEvent) *string { return e.Message })
}

func filteredMsgs(evs []types.FilteredLogEvent) []string {
	return messages(evs, func(e types.FilteredLogEvent) *string { return e.Message })
}

func TestLogStreams(t *testing.T) {
	srv := server(t)
	c, rec := wireClient(srv, acct)
	mkGroup(t, c, "g")
	mkStream(t, c, "g", "s1")
	_, err := c.CreateLogStream(ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s1")})
	wantErr[types.ResourceAlreadyExistsException](t, err, "The specified log stream already exists")
	_, err = c.CreateLogStream(ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("nope"), LogStreamName: aws.String("s1")})
	wantErr[types.ResourceNotFoundException](t, err, "The specified log group does not exist.")
	_, err = c.CreateLogStream(ctx, &cwl.CreateLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("a:b")})
	wantErr[types.InvalidParameterException](t, err, "1 validation error detected: Value 'a:b' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*")

	out, err := c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g")})
	if err != nil {
		t.Fatal(err)
	}
	sarn := logGroupArn(acct, "g") + ":log-stream:s1"
	rec.wantWire(t, fmt.Sprintf(`{"logStreams":[{"logStreamName":"s1","creationTime":%d,"arn":%q,"storedBytes":0}]}`, *out.LogStreams[0].CreationTime, sarn))

	// Events fill in the event fields; storedBytes stays 0 as on AWS.
	base := nowMs() - 1000
	mkStream(t, c, "g", "s2")
	mkStream(t, c, "g", "s3")
	putEvents(t, c, "g", "s1", base+10, "x")
	putEvents(t, c, "g", "s3", base, "y", "z")
	out, err = c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupIdentifier: aws.String(logGroupArn(acct, "g")), OrderBy: types.OrderByLastEventTime, Descending: aws.Bool(true), Limit: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	s := out.LogStreams[0]
	if *s.LogStreamName != "s1" || *s.FirstEventTimestamp != base+10 || *s.LastEventTimestamp != base+10 || s.LastIngestionTime == nil || len(*s.UploadSequenceToken) != 56 || *s.StoredBytes != 0 {
		t.Errorf("newest stream = %s", show(s))
	}
	var order []string
	p := cwl.NewDescribeLogStreamsPaginator(c, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g"), OrderBy: types.OrderByLastEventTime, Limit: aws.Int32(1)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		order = append(order, messages(page.LogStreams, func(s types.LogStream) *string { return s.LogStreamName })...)
	}
	same(t, "by last event time", order, []string{"s2", "s3", "s1"})

	_, err = c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g"), OrderBy: types.OrderByLastEventTime, LogStreamNamePrefix: aws.String("s")})
	wantErr[types.InvalidParameterException](t, err, "Cannot order by LastEventTime with a logStreamNamePrefix.")
	_, err = c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g"), LogGroupIdentifier: aws.String("g")})
	wantAPIError(t, err, "ValidationException", "LogGroup name and LogGroup ARN are mutually exclusive parameters.")
	_, err = c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("nope")})
	wantErr[types.ResourceNotFoundException](t, err, "The specified log group does not exist.")

	if _, err := c.DeleteLogStream(ctx, &cwl.DeleteLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s1")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteLogStream(ctx, &cwl.DeleteLogStreamInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s1")})
	wantErr[types.ResourceNotFoundException](t, err, "The specified log stream does not exist.")
	out, _ = c.DescribeLogStreams(ctx, &cwl.DescribeLogStreamsInput{LogGroupName: aws.String("g"), LogStreamNamePrefix: aws.String("s")})
	same(t, "after delete", messages(out.LogStreams, func(s types.LogStream) *string { return s.LogStreamName }), []string{"s2", "s3"})

	groups, _ := c.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{})
	if got := *groups.LogGroups[0].StoredBytes; got != 2 {
		t.Errorf("group storedBytes = %d, want 2 (s3's y and z)", got)
	}
}

func TestPutLogEventsRules(t *testing.T) {
	srv := server(t)
	c, rec := wireClient(srv, acct)
	mkGroup(t, c, "g")
	mkStream(t, c, "g", "s")
	now := nowMs()
	put := func(evs ...types.InputLogEvent) (*cwl.PutLogEventsOutput, error) {
		return c.PutLogEvents(ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), LogEvents: evs, SequenceToken: aws.String("ignored")})
	}
	ev := func(ts int64, msg string) types.InputLogEvent {
		return types.InputLogEvent{Timestamp: aws.Int64(ts), Message: aws.String(msg)}
	}
	out, err := put(ev(now, "a"), ev(now, "b"))
	if err != nil {
		t.Fatal(err)
	}
	if out.RejectedLogEventsInfo != nil || len(*out.NextSequenceToken) != 56 {
		t.Errorf("plain put answered %s", show(out))
	}

	_, err = put(ev(now-30*86400000, "old"))
	if err != nil {
		t.Fatal(err)
	}
	rec.wantWire(t, fmt.Sprintf(`{"nextSequenceToken":%q,"rejectedLogEventsInfo":{"tooOldLogEventEndIndex":1}}`, *out.NextSequenceToken))
	_, err = put(ev(now+86400000, "new"))
	if err != nil {
		t.Fatal(err)
	}
	rec.wantWire(t, fmt.Sprintf(`{"nextSequenceToken":%q,"rejectedLogEventsInfo":{"tooNewLogEventStartIndex":0}}`, *out.NextSequenceToken))
	out, err = put(ev(now-15*86400000, "old"), ev(now-1, "kept"), ev(now+3*3600000, "new"))
	if err != nil {
		t.Fatal(err)
	}
	same(t, "mixed rejects", out.RejectedLogEventsInfo, &types.RejectedLogEventsInfo{TooOldLogEventEndIndex: aws.Int32(1), TooNewLogEventStartIndex: aws.Int32(2)})

	_, err = put(ev(now, "b"), ev(now-1, "a"))
	wantErr[types.InvalidParameterException](t, err, "Log events in a single PutLogEvents request must be in chronological order.")
	_, err = put(ev(now-25*3600000, "a"), ev(now, "b"))
	wantErr[types.InvalidParameterException](t, err, "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
	big := strings.Repeat("x", 600_000)
	_, err = put(ev(now, big), ev(now, big))
	wantErr[types.InvalidParameterException](t, err, "Upload too large: 1200052 bytes exceeds limit of 1048576")
	_, err = put(ev(now, strings.Repeat("x", 1_048_551)))
	wantErr[types.InvalidParameterException](t, err, "Log event too large: 1048577 bytes exceeds limit of 1048576")
	many := make([]types.InputLogEvent, 10_001)
	for i := range many {
		many[i] = ev(now, "m")
	}
	_, err = put(many...)
	if e := wantErr[types.InvalidParameterException](t, err, ""); !strings.HasSuffix(e.ErrorMessage(), "' at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to 10000") {
		t.Errorf("10,001 events: message ends %q", e.ErrorMessage()[max(0, len(e.ErrorMessage())-120):])
	}
	_, err = c.PutLogEvents(ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("missing"), LogEvents: []types.InputLogEvent{ev(now, "x")}})
	wantErr[types.ResourceNotFoundException](t, err, "The specified log stream does not exist.")
	_, err = c.PutLogEvents(ctx, &cwl.PutLogEventsInput{LogGroupName: aws.String("missing"), LogStreamName: aws.String("s"), LogEvents: []types.InputLogEvent{ev(now, "x")}})
	wantErr[types.ResourceNotFoundException](t, err, "The specified log group does not exist.")

	// Retention: events past it are reported as expired, and hidden.
	if _, err := c.PutRetentionPolicy(ctx, &cwl.PutRetentionPolicyInput{LogGroupName: aws.String("g"), RetentionInDays: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	out, err = put(ev(now-2*86400000, "expired"), ev(now, "fresh"))
	if err != nil {
		t.Fatal(err)
	}
	same(t, "expired", out.RejectedLogEventsInfo, &types.RejectedLogEventsInfo{ExpiredLogEventEndIndex: aws.Int32(1)})
	got, err := c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), StartFromHead: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	same(t, "stored, in timestamp order", outMsgs(got.Events), []string{"kept", "a", "b", "fresh"})
}

func TestRetentionHidesOlderEvents(t *testing.T) {
	c := newClient(t)
	mkGroup(t, c, "g")
	mkStream(t, c, "g", "s")
	now := nowMs()
	putEvents(t, c, "g", "s", now-3*86400000, "three days old")
	putEvents(t, c, "g", "s", now-1000, "recent")
	if _, err := c.PutRetentionPolicy(ctx, &cwl.PutRetentionPolicyInput{LogGroupName: aws.String("g"), RetentionInDays: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s")})
	if err != nil {
		t.Fatal(err)
	}
	same(t, "GetLogEvents", outMsgs(got.Events), []string{"recent"})
	f, err := c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("g")})
	if err != nil {
		t.Fatal(err)
	}
	same(t, "FilterLogEvents", filteredMsgs(f.Events), []string{"recent"})
}

func TestGetLogEventsPaging(t *testing.T) {
	srv := server(t)
	c, rec := wireClient(srv, acct)
	mkGroup(t, c, "g")
	mkStream(t, c, "g", "s")
	base := nowMs() - 100_000
	var all []string
	for i := range 20 {
		all = append(all, fmt.Sprint("message ", i))
	}
	putEvents(t, c, "g", "s", base, all[:12]...)
	putEvents(t, c, "g", "s", base+12, all[12:]...)

	get := func(in cwl.GetLogEventsInput) *cwl.GetLogEventsOutput {
		t.Helper()
		in.LogGroupName, in.LogStreamName = aws.String("g"), aws.String("s")
		out, err := c.GetLogEvents(ctx, &in)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	head := get(cwl.GetLogEventsInput{StartFromHead: aws.Bool(true), Limit: aws.Int32(10)})
	same(t, "head page", outMsgs(head.Events), all[:10])
	tail := get(cwl.GetLogEventsInput{Limit: aws.Int32(5)})
	same(t, "default first page is the tail", outMsgs(tail.Events), all[15:])
	if !strings.HasPrefix(*tail.NextForwardToken, "f/") || !strings.HasPrefix(*tail.NextBackwardToken, "b/") || !strings.HasSuffix(*tail.NextForwardToken, "/s") {
		t.Errorf("tokens %s %s", *tail.NextForwardToken, *tail.NextBackwardToken)
	}

	// Every limit, forwards from the head and backwards from the tail, visits
	// every event exactly once, and the end answers the token it was given.
	for limit := int32(1); limit <= 7; limit++ {
		var fwd []string
		page := get(cwl.GetLogEventsInput{StartFromHead: aws.Bool(true), Limit: &limit})
		for {
			fwd = append(fwd, outMsgs(page.Events)...)
			next := get(cwl.GetLogEventsInput{NextToken: page.NextForwardToken, Limit: &limit})
			if *next.NextForwardToken == *page.NextForwardToken {
				if len(next.Events) != 0 {
					t.Fatalf("limit %d: same token with events", limit)
				}
				break
			}
			page = next
		}
		same(t, fmt.Sprint("forward, limit ", limit), fwd, all)

		var bwd []string
		page = get(cwl.GetLogEventsInput{Limit: &limit})
		for {
			bwd = append(outMsgs(page.Events), bwd...)
			next := get(cwl.GetLogEventsInput{NextToken: page.NextBackwardToken, Limit: &limit})
			if *next.NextBackwardToken == *page.NextBackwardToken {
				break
			}
			page = next
		}
		same(t, fmt.Sprint("backward, limit ", limit), bwd, all)
	}

	// startTime is inclusive, endTime exclusive.
	win := get(cwl.GetLogEventsInput{StartTime: aws.Int64(base + 3), EndTime: aws.Int64(base + 6), StartFromHead: aws.Bool(true)})
	same(t, "window", outMsgs(win.Events), all[3:6])

	_, err := c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), NextToken: aws.String("invalid-token")})
	wantErr[types.InvalidParameterException](t, err, "The specified nextToken is invalid.")
	_, err = c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), Limit: aws.Int32(10001)})
	wantErr[types.InvalidParameterException](t, err, "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000")
	_, err = c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("nope")})
	wantErr[types.ResourceNotFoundException](t, err, "The specified log stream does not exist.")
	_, err = c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("nope"), LogStreamName: aws.String("s")})
	wantErr[types.ResourceNotFoundException](t, err, "The specified log group does not exist.")
	// A token of another stream is refused.
	mkStream(t, c, "g", "other")
	_, err = c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("other"), NextToken: head.NextForwardToken})
	wantErr[types.InvalidParameterException](t, err, "The specified nextToken is invalid.")

	// An empty stream answers both tokens, never null.
	get2, err := c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupIdentifier: aws.String(logGroupArn(acct, "g")), LogStreamName: aws.String("other")})
	if err != nil {
		t.Fatal(err)
	}
	if len(get2.Events) != 0 || get2.NextForwardToken == nil || get2.NextBackwardToken == nil {
		t.Errorf("empty stream answered %s", show(get2))
	}
	_ = rec

	// Multi-byte messages round-trip byte for byte.
	msg := "🙀 - 参よ - 日本語"
	putEvents(t, c, "g", "other", nowMs(), msg)
	got := get(cwl.GetLogEventsInput{LogStreamName: aws.String("other")})
	_ = got
	o, _ := c.GetLogEvents(ctx, &cwl.GetLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("other")})
	same(t, "multi-byte", outMsgs(o.Events), []string{msg})
}

func TestFilterLogEvents(t *testing.T) {
	srv := server(t)
	c, rec := wireClient(srv, acct)
	mkGroup(t, c, "g")
	for _, s := range []string{"web-1", "web-2", "worker"} {
		mkStream(t, c, "g", s)
	}
	base := nowMs() - 100_000
	putEvents(t, c, "g", "web-1", base, "[ERROR 400] BAD REQUEST", `{"status":500,"path":"/a"}`, "[INFO] fine")
	putEvents(t, c, "g", "web-2", base+1, "[ERROR 500] INTERNAL SERVER ERROR", `{"status":200,"path":"/b"}`)
	putEvents(t, c, "g", "worker", base, "[WARN] UNAUTHORIZED REQUEST")

	filter := func(in cwl.FilterLogEventsInput) []string {
		t.Helper()
		in.LogGroupName = aws.String("g")
		var msgs []string
		p := cwl.NewFilterLogEventsPaginator(c, &in)
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			msgs = append(msgs, filteredMsgs(out.Events)...)
		}
		return msgs
	}
	same(t, "all, interleaved by time", filter(cwl.FilterLogEventsInput{Limit: aws.Int32(2)}), []string{
		"[ERROR 400] BAD REQUEST", "[WARN] UNAUTHORIZED REQUEST", `{"status":500,"path":"/a"}`, "[ERROR 500] INTERNAL SERVER ERROR",
		"[INFO] fine", `{"status":200,"path":"/b"}`,
	})
	same(t, "term", filter(cwl.FilterLogEventsInput{FilterPattern: aws.String("ERROR")}), []string{"[ERROR 400] BAD REQUEST", "[ERROR 500] INTERNAL SERVER ERROR"})
	same(t, "json", filter(cwl.FilterLogEventsInput{FilterPattern: aws.String("{ $.status = 500 }")}), []string{`{"status":500,"path":"/a"}`})
	same(t, "stream names", filter(cwl.FilterLogEventsInput{LogStreamNames: []string{"worker", "web-2"}, FilterPattern: aws.String("?ERROR ?WARN")}),
		[]string{"[WARN] UNAUTHORIZED REQUEST", "[ERROR 500] INTERNAL SERVER ERROR"})
	same(t, "stream prefix", filter(cwl.FilterLogEventsInput{LogStreamNamePrefix: aws.String("web-"), FilterPattern: aws.String("-ERROR")}),
		[]string{`{"status":500,"path":"/a"}`, "[INFO] fine", `{"status":200,"path":"/b"}`})
	same(t, "time window, endTime inclusive", filter(cwl.FilterLogEventsInput{StartTime: aws.Int64(base + 1), EndTime: aws.Int64(base + 1)}),
		[]string{`{"status":500,"path":"/a"}`, "[ERROR 500] INTERNAL SERVER ERROR"})
	newestFirst := filter(cwl.FilterLogEventsInput{StartFromHead: aws.Bool(false), StartTime: aws.Int64(base), Limit: aws.Int32(4)})
	same(t, "startFromHead=false", newestFirst[:2], []string{`{"status":200,"path":"/b"}`, "[INFO] fine"})

	out, err := c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("g"), LogStreamNames: []string{"worker"}})
	if err != nil {
		t.Fatal(err)
	}
	e := out.Events[0]
	rec.wantWire(t, fmt.Sprintf(`{"events":[{"logStreamName":"worker","timestamp":%d,"message":"[WARN] UNAUTHORIZED REQUEST","ingestionTime":%d,"eventId":%q}],"searchedLogStreams":[]}`,
		base, *e.IngestionTime, *e.EventId))
	if len(*e.EventId) != 56 {
		t.Errorf("eventId %q, want 56 digits", *e.EventId)
	}

	_, err = c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("g"), NextToken: aws.String("invalid-token")})
	wantErr[types.InvalidParameterException](t, err, "The specified nextToken is invalid.")
	_, err = c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("g"), FilterPattern: aws.String("{ $.status = 500")})
	wantErr[types.InvalidParameterException](t, err, "If a filter pattern starts with '{' it must end with '}'")
	_, err = c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("g"), LogStreamNames: []string{"a"}, LogStreamNamePrefix: aws.String("a")})
	wantErr[types.InvalidParameterException](t, err, "")
	_, err = c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("g"), Limit: aws.Int32(10001)})
	wantErr[types.InvalidParameterException](t, err, "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000")
	_, err = c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("nope")})
	wantErr[types.ResourceNotFoundException](t, err, "The specified log group does not exist.")
}

// TestFilterLogEventsPagesOf25 is AWS's recorded case: 25 events, limit 20.
func TestFilterLogEventsPagesOf25(t *testing.T) {
	c := newClient(t)
	mkGroup(t, c, "g")
	mkStream(t, c, "g", "s")
	msgs := make([]string, 25)
	for i := range msgs {
		msgs[i] = fmt.Sprint("event ", i)
	}
	putEvents(t, c, "g", "s", nowMs()-1000, msgs...)
	first, err := c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("g"), Limit: aws.Int32(20)})
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Events) != 20 || first.NextToken == nil {
		t.Fatalf("first page: %d events, token %v", len(first.Events), first.NextToken)
	}
	second, err := c.FilterLogEvents(ctx, &cwl.FilterLogEventsInput{LogGroupName: aws.String("g"), Limit: aws.Int32(20), NextToken: first.NextToken})
	if err != nil {
		t.Fatal(err)
	}
	same(t, "second page", filteredMsgs(second.Events), msgs[20:])
	if second.NextToken != nil {
		t.Errorf("second page token %q, want none", *second.NextToken)
	}
}
