package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// TestCrashSafety runs the real binary, writes through the SDK from several
// clients, kills the process with SIGKILL at a random moment, restarts it on
// the same store and checks that every acknowledged write is there exactly
// as it was acknowledged, and that nothing half-written shows. It runs on
// SQLite, and on PostgreSQL when CWLOGD_TEST_POSTGRES_DSN is set.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary")
	}
	bin := buildBinary(t)
	t.Run("sqlite", func(t *testing.T) {
		crashRounds(t, bin, []string{"--store", "sqlite", "--data-dir", t.TempDir()})
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := freshPostgres(t)
		crashRounds(t, bin, []string{"--store", dsn})
	})
}

func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "cwlogd")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/cwlogd/cwlogd/cmd/cwlogd")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// acked is what the server acknowledged, keyed by resource.
type acked struct {
	mu           sync.Mutex
	sources      map[string]types.DeliverySource
	destinations map[string]types.DeliveryDestination
	policies     map[string]string
	deliveries   map[string]types.Delivery
	// events holds the acknowledged messages of each log stream, keyed
	// "group/stream", in the order they were put.
	events map[string][]string
}

func crashRounds(t *testing.T, bin string, storeArgs []string) {
	a := &acked{
		sources: map[string]types.DeliverySource{}, destinations: map[string]types.DeliveryDestination{},
		policies: map[string]string{}, deliveries: map[string]types.Delivery{},
		events: map[string][]string{},
	}
	for round := range 3 {
		p := startProcess(t, bin, storeArgs)
		c := crashClient(p.url, 1)
		if round > 0 {
			verify(t, crashClient(p.url, 5), a)
		}
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				writeLoop(ctx, c, a, fmt.Sprintf("r%dw%d", round, w))
			}()
		}
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				logWriteLoop(ctx, c, a, fmt.Sprintf("r%dl%d", round, w))
			}()
		}
		time.Sleep(time.Duration(150+rand.IntN(400)) * time.Millisecond)
		p.kill(t)
		cancel()
		wg.Wait()
	}
	p := startProcess(t, bin, storeArgs)
	verify(t, crashClient(p.url, 5), a)
	events := 0
	for _, msgs := range a.events {
		events += len(msgs)
	}
	if len(a.sources) < 10 || len(a.deliveries) < 3 || events < 100 {
		t.Fatalf("too few acknowledged writes to mean anything: %d sources, %d deliveries, %d log events", len(a.sources), len(a.deliveries), events)
	}
	t.Logf("verified %d sources, %d destinations, %d policies, %d deliveries, %d log events in %d streams across 3 kills",
		len(a.sources), len(a.destinations), len(a.policies), len(a.deliveries), events, len(a.events))
}

// writeLoop creates sources, destinations, policies and deliveries until
// ctx ends or the server dies, recording what was acknowledged.
func writeLoop(ctx context.Context, c *cwl.Client, a *acked, prefix string) {
	for i := 0; ctx.Err() == nil; i++ {
		name := fmt.Sprintf("%s-%d", prefix, i)
		src, err := c.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{
			Name: aws.String(name), LogType: aws.String("ACCESS_LOGS"),
			ResourceArn: aws.String("arn:aws:cloudfront::111111111111:distribution/E" + fmt.Sprint(i)),
			Tags:        map[string]string{"writer": prefix, "n": fmt.Sprint(i)},
		})
		if err != nil {
			return
		}
		a.mu.Lock()
		a.sources[name] = *src.DeliverySource
		a.mu.Unlock()
		dst, err := c.PutDeliveryDestination(ctx, &cwl.PutDeliveryDestinationInput{
			Name: aws.String(name), OutputFormat: types.OutputFormatJson,
			DeliveryDestinationConfiguration: &types.DeliveryDestinationConfiguration{DestinationResourceArn: aws.String("arn:aws:s3:::bucket-" + name)},
			Tags:                             map[string]string{"writer": prefix},
		})
		if err != nil {
			return
		}
		a.mu.Lock()
		a.destinations[name] = *dst.DeliveryDestination
		a.mu.Unlock()
		pol, err := c.PutDeliveryDestinationPolicy(ctx, &cwl.PutDeliveryDestinationPolicyInput{
			DeliveryDestinationName: aws.String(name),
			DeliveryDestinationPolicy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"222222222222"},` +
				`"Action":"logs:CreateDelivery","Resource":"` + *dst.DeliveryDestination.Arn + `"}]}`),
		})
		if err != nil {
			return
		}
		a.mu.Lock()
		a.policies[name] = *pol.Policy.DeliveryDestinationPolicy
		a.mu.Unlock()
		d, err := c.CreateDelivery(ctx, &cwl.CreateDeliveryInput{
			DeliverySourceName: aws.String(name), DeliveryDestinationArn: dst.DeliveryDestination.Arn,
			RecordFields: []string{"date", "time", "c-ip"}, FieldDelimiter: aws.String(""),
			Tags: map[string]string{"writer": prefix},
		})
		if err != nil {
			return
		}
		a.mu.Lock()
		a.deliveries[*d.Delivery.Id] = *d.Delivery
		a.mu.Unlock()
	}
}

// logWriteLoop creates a log group and stream, then puts batches of 50
// events until ctx ends or the server dies, recording what was
// acknowledged.
func logWriteLoop(ctx context.Context, c *cwl.Client, a *acked, prefix string) {
	group, stream := "/crash/"+prefix, "s"
	if _, err := c.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: &group}); err != nil {
		return
	}
	if _, err := c.CreateLogStream(ctx, &cwl.CreateLogStreamInput{LogGroupName: &group, LogStreamName: &stream}); err != nil {
		return
	}
	key := group + "/" + stream
	a.mu.Lock()
	a.events[key] = []string{}
	a.mu.Unlock()
	base := time.Now().UnixMilli() - 60_000
	for i := 0; ctx.Err() == nil; i++ {
		evs := make([]types.InputLogEvent, 50)
		msgs := make([]string, len(evs))
		for j := range evs {
			msgs[j] = fmt.Sprintf("%s batch %d event %d", prefix, i, j)
			evs[j] = types.InputLogEvent{Timestamp: aws.Int64(base + int64(i)), Message: &msgs[j]}
		}
		if _, err := c.PutLogEvents(ctx, &cwl.PutLogEventsInput{LogGroupName: &group, LogStreamName: &stream, LogEvents: evs}); err != nil {
			return
		}
		a.mu.Lock()
		a.events[key] = append(a.events[key], msgs...)
		a.mu.Unlock()
	}
}

// verifyLogs reads every stream that has acknowledged events from its head
// and checks that the acknowledged events are all there, in order, each
// once, followed by at most one batch in flight at the kill.
func verifyLogs(t *testing.T, c *cwl.Client, a *acked) {
	t.Helper()
	ctx := context.Background()
	for key, want := range a.events {
		group, stream := strings.TrimSuffix(key, "/s"), "s"
		var got []string
		in := &cwl.GetLogEventsInput{LogGroupName: &group, LogStreamName: &stream, StartFromHead: aws.Bool(true)}
		for {
			out, err := c.GetLogEvents(ctx, in)
			if err != nil {
				t.Fatalf("stream %s with acknowledged events: %v", key, err)
			}
			for _, e := range out.Events {
				got = append(got, *e.Message)
			}
			if in.NextToken != nil && *out.NextForwardToken == *in.NextToken {
				break
			}
			in.NextToken = out.NextForwardToken
		}
		if extra := len(got) - len(want); extra < 0 || !slices.Equal(got[:len(want)], want) || (extra != 0 && extra != 50) {
			t.Fatalf("stream %s after restart: %d events, want the %d acknowledged ones first, then nothing or one whole batch", key, len(got), len(want))
		}
		if extra := len(got) - len(want); extra > 0 {
			a.events[key] = got // a batch in flight at the kill landed whole: expect it from now on
		}
	}
}

// verify checks every acknowledged write and the invariants that a
// half-written transaction would break.
func verify(t *testing.T, c *cwl.Client, a *acked) {
	t.Helper()
	verifyLogs(t, c, a)
	ctx := context.Background()
	for name, want := range a.sources {
		got, err := c.GetDeliverySource(ctx, &cwl.GetDeliverySourceInput{Name: aws.String(name)})
		if err != nil {
			t.Fatalf("acknowledged source %s lost: %v", name, err)
		}
		tags := listTags(t, c, *want.Arn)
		want.Tags, got.DeliverySource.Tags = nil, nil
		sameJSON(t, "source "+name, *got.DeliverySource, want)
		if tags["writer"] == "" {
			t.Fatalf("source %s lost its tags: %v", name, tags)
		}
	}
	for name, want := range a.destinations {
		got, err := c.GetDeliveryDestination(ctx, &cwl.GetDeliveryDestinationInput{Name: aws.String(name)})
		if err != nil {
			t.Fatalf("acknowledged destination %s lost: %v", name, err)
		}
		sameJSON(t, "destination "+name, *got.DeliveryDestination, want)
	}
	for name, want := range a.policies {
		got, err := c.GetDeliveryDestinationPolicy(ctx, &cwl.GetDeliveryDestinationPolicyInput{DeliveryDestinationName: aws.String(name)})
		if err != nil || got.Policy.DeliveryDestinationPolicy == nil || *got.Policy.DeliveryDestinationPolicy != want {
			t.Fatalf("acknowledged policy of %s: got %v, %v", name, got, err)
		}
	}
	for id, want := range a.deliveries {
		got, err := c.GetDelivery(ctx, &cwl.GetDeliveryInput{Id: aws.String(id)})
		if err != nil {
			t.Fatalf("acknowledged delivery %s lost: %v", id, err)
		}
		if tags := listTags(t, c, *want.Arn); !reflect.DeepEqual(tags, want.Tags) {
			t.Fatalf("delivery %s tags = %v, want %v", id, tags, want.Tags)
		}
		want.Tags = nil
		sameJSON(t, "delivery "+id, *got.Delivery, want)
	}
	// Whatever else survived (writes in flight at the kill) is whole: every
	// delivery's source and destination exist.
	sources, dests := map[string]bool{}, map[string]bool{}
	for p := cwl.NewDescribeDeliverySourcesPaginator(c, &cwl.DescribeDeliverySourcesInput{}); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range page.DeliverySources {
			sources[*s.Name] = true
		}
	}
	for p := cwl.NewDescribeDeliveryDestinationsPaginator(c, &cwl.DescribeDeliveryDestinationsInput{}); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range page.DeliveryDestinations {
			dests[*d.Arn] = true
		}
	}
	for p := cwl.NewDescribeDeliveriesPaginator(c, &cwl.DescribeDeliveriesInput{}); p.HasMorePages(); {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range page.Deliveries {
			if !sources[*d.DeliverySourceName] || !dests[*d.DeliveryDestinationArn] {
				t.Fatalf("delivery %s points at a missing source or destination", *d.Id)
			}
		}
	}
}

func sameJSON(t *testing.T, what string, got, want any) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Fatalf("%s after restart:\n got %s\nwant %s", what, g, w)
	}
}

type process struct {
	cmd *exec.Cmd
	url string
}

func startProcess(t *testing.T, bin string, storeArgs []string) *process {
	t.Helper()
	addr := freeAddr(t)
	args := append([]string{"serve", "--listen", addr, "--log-level", "warn"}, storeArgs...)
	cmd := exec.Command(bin, args...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, url: "http://" + addr}
	t.Cleanup(func() { p.kill(t) })
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(p.url + "/_cwlogd/health"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return p
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("cwlogd %v did not become ready", args)
	return nil
}

func (p *process) kill(t *testing.T) {
	if p.cmd.ProcessState != nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// crashClient makes at most attempts attempts per call. Writers make one, so
// an error means "not acknowledged". Readers retry: aws-sdk-go-v2 closes a
// request body as soon as response headers arrive, and against a server that
// answers within microseconds on another core the Go transport now and then
// still reads that body and tears the connection down under the response
// (seen with a bare net/http server too); the SDK retries such reads.
func crashClient(url string, attempts int) *cwl.Client {
	return cwl.New(cwl.Options{
		Region:           region,
		BaseEndpoint:     aws.String(url),
		Credentials:      credentials.NewStaticCredentialsProvider(acct, "secret", ""),
		RetryMaxAttempts: attempts,
	})
}
