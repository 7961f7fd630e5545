package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"

	"github.com/cwlogd/cwlogd/internal/app"
	"github.com/cwlogd/cwlogd/internal/config"
)

// Accounts and regions beyond the harness's acct/other/region.
const (
	third         = "333333333333"
	defaultAcct   = "000000000000" // the account of access keys that are not account ids
	westRegion    = "us-west-2"
	euRegion      = "eu-west-1"
	seedSourceArn = "arn:aws:cloudfront::111111111111:distribution/E1Q5F5862X9VJ5"
)

// Exact texts AWS answers with (delivery-api.md §5).
const (
	msgSourceNotFound      = "Requested Delivery Source does not exist in this account."
	msgDestinationNotFound = "Requested Delivery Destination does not exist in this account."
	msgDeliveryNotFound    = "Requested Delivery does not exist in this account."
	msgCannotAccess        = "Cannot access provided service."
	msgNewResourceID       = "Update to existing Delivery Source with new ResourceId is not allowed. Please create a new Delivery Source instead."
	msgTagsOnUpdate        = "Tags can only be provided when a resource is being created, not updated."
	msgNewOutputFormat     = "Update to existing Delivery Destination with new Output Format is not allowed. Please create a new Delivery Destination instead."
	msgInvalidPolicy       = "Invalid Delivery Destination resource Policy is provided."
	msgDeliveryExists      = "The specified Delivery already exists"
	msgSameTypeExists      = "Delivery already exists for this Delivery Source with the same Delivery Destination Type."
	msgSuffixPathInvalid   = "Provided suffixPath is invalid"
	msgInvalidNextToken    = "The specified nextToken is invalid."
	msgTooManyTags         = "A resource can have no more than 50 tags."
	msgBadOutputFormat     = "1 validation error detected: Value 'foobar' at 'outputFormat' failed to satisfy constraint: Member must satisfy enum value set: [w3c, raw, json, plain, parquet]"
	cloudFrontSuffix       = "AWSLogs/{account-id}/CloudFront/"
)

// cloudFrontFields are the default recordFields of a CloudFront ACCESS_LOGS
// delivery, in the recorded order.
var cloudFrontFields = []string{
	"date", "time", "x-edge-location", "sc-bytes", "c-ip", "cs-method", "cs(Host)", "cs-uri-stem",
	"sc-status", "cs(Referer)", "cs(User-Agent)", "cs-uri-query", "cs(Cookie)", "x-edge-result-type",
	"x-edge-request-id", "x-host-header", "cs-protocol", "cs-bytes", "time-taken", "x-forwarded-for",
	"ssl-protocol", "ssl-cipher", "x-edge-response-result-type", "cs-protocol-version", "fle-status",
	"fle-encrypted-fields", "c-port", "time-to-first-byte", "x-edge-detailed-result-type",
	"sc-content-type", "sc-content-len", "sc-range-start", "sc-range-end",
}

var deliveryIDPattern = regexp.MustCompile(`^[A-Za-z0-9]{16}$`)

// newClient starts a fresh server and returns a client acting as acct in
// us-east-1.
func newClient(t *testing.T) *cwl.Client {
	t.Helper()
	return client(server(t), acct, region)
}

// ---- ARNs ----

// cfArn is the ARN of a CloudFront distribution of acct whose id is derived
// from name, so every source can have its own distribution.
func cfArn(name string) string {
	id := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			return r
		}
		return -1
	}, name)
	return "arn:aws:cloudfront::" + acct + ":distribution/E" + id
}

func s3Arn(bucket string) string { return "arn:aws:s3:::" + bucket }

func logGroupArn(account, name string) string {
	return "arn:aws:logs:" + region + ":" + account + ":log-group:" + name
}

func firehoseArn(account, name string) string {
	return "arn:aws:firehose:" + region + ":" + account + ":deliverystream/" + name
}

func logsArn(account, reg, kind, name string) string {
	return "arn:aws:logs:" + reg + ":" + account + ":" + kind + ":" + name
}

func sourceArn(account, name string) string {
	return logsArn(account, region, "delivery-source", name)
}

func destinationArn(account, name string) string {
	return logsArn(account, region, "delivery-destination", name)
}

func deliveryArn(account, id string) string { return logsArn(account, region, "delivery", id) }

// ---- resources ----

// mkSource creates a CloudFront ACCESS_LOGS delivery source.
func mkSource(t *testing.T, c *cwl.Client, name string) *types.DeliverySource {
	t.Helper()
	return mkSourceFor(t, c, name, cfArn(name), "ACCESS_LOGS")
}

// mkSourceFor creates a delivery source for resourceArn and logType.
func mkSourceFor(t *testing.T, c *cwl.Client, name, resourceArn, logType string) *types.DeliverySource {
	t.Helper()
	out, err := c.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{
		Name: aws.String(name), ResourceArn: aws.String(resourceArn), LogType: aws.String(logType),
	})
	if err != nil {
		t.Fatalf("PutDeliverySource(%s): %v", name, err)
	}
	return out.DeliverySource
}

// mkDestination creates a delivery destination for resourceArn (S3 bucket,
// log group or Firehose stream) without an output format.
func mkDestination(t *testing.T, c *cwl.Client, name, resourceArn string) *types.DeliveryDestination {
	t.Helper()
	out, err := c.PutDeliveryDestination(ctx, &cwl.PutDeliveryDestinationInput{
		Name: aws.String(name),
		DeliveryDestinationConfiguration: &types.DeliveryDestinationConfiguration{
			DestinationResourceArn: aws.String(resourceArn),
		},
	})
	if err != nil {
		t.Fatalf("PutDeliveryDestination(%s): %v", name, err)
	}
	return out.DeliveryDestination
}

// mkXRayDestination creates an X-Ray delivery destination.
func mkXRayDestination(t *testing.T, c *cwl.Client, name string) *types.DeliveryDestination {
	t.Helper()
	out, err := c.PutDeliveryDestination(ctx, &cwl.PutDeliveryDestinationInput{
		Name: aws.String(name), DeliveryDestinationType: types.DeliveryDestinationTypeXray,
	})
	if err != nil {
		t.Fatalf("PutDeliveryDestination(%s, XRAY): %v", name, err)
	}
	return out.DeliveryDestination
}

// mkDelivery creates a delivery with the template defaults.
func mkDelivery(t *testing.T, c *cwl.Client, source, destArn string) *types.Delivery {
	t.Helper()
	out, err := c.CreateDelivery(ctx, &cwl.CreateDeliveryInput{
		DeliverySourceName: aws.String(source), DeliveryDestinationArn: aws.String(destArn),
	})
	if err != nil {
		t.Fatalf("CreateDelivery(%s -> %s): %v", source, destArn, err)
	}
	return out.Delivery
}

// getDelivery reads a delivery that must exist.
func getDelivery(t *testing.T, c *cwl.Client, id string) *types.Delivery {
	t.Helper()
	out, err := c.GetDelivery(ctx, &cwl.GetDeliveryInput{Id: aws.String(id)})
	if err != nil {
		t.Fatalf("GetDelivery(%s): %v", id, err)
	}
	return out.Delivery
}

// listTags returns a resource's tags, which must be readable.
func listTags(t *testing.T, c *cwl.Client, arn string) map[string]string {
	t.Helper()
	out, err := c.ListTagsForResource(ctx, &cwl.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	if err != nil {
		t.Fatalf("ListTagsForResource(%s): %v", arn, err)
	}
	return out.Tags
}

// parallel runs fn(i) for i in [0, n) on a few goroutines and fails t with
// the first error any call returned.
func parallel(t *testing.T, n int, fn func(i int) error) {
	t.Helper()
	const workers = 16
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
		next  = make(chan int)
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(i); err != nil {
					once.Do(func() { first = err })
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	if first != nil {
		t.Fatal(first)
	}
}

// ---- assertions ----

// wantErr asserts err is (or wraps) the SDK's typed error E and, when msg is
// not empty, carries exactly that message. It returns the typed error.
func wantErr[E any, P interface {
	*E
	smithy.APIError
}](t *testing.T, err error, msg string) P {
	t.Helper()
	var e P
	if !errors.As(err, &e) {
		var ae smithy.APIError
		if errors.As(err, &ae) {
			t.Fatalf("error = %s: %q, want %T", ae.ErrorCode(), ae.ErrorMessage(), e)
		}
		t.Fatalf("error = %v, want %T", err, e)
	}
	if msg != "" && e.ErrorMessage() != msg {
		t.Fatalf("%s message = %q, want %q", e.ErrorCode(), e.ErrorMessage(), msg)
	}
	return e
}

// same asserts got and want are deeply equal (nil and empty differ), showing
// both as JSON when they are not.
func same(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s =\n  %s\nwant\n  %s", what, show(got), show(want))
	}
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// compactJSON is doc minified by encoding/json.
func compactJSON(t *testing.T, doc string) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(doc)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// recorder is an HTTP transport that keeps the body of the last response.
type recorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	body []byte
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.body = b
	r.mu.Unlock()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, nil
}

// wantWire asserts the last response body is the JSON document want.
func (r *recorder) wantWire(t *testing.T, want string) {
	t.Helper()
	r.mu.Lock()
	body := r.body
	r.mu.Unlock()
	var got, exp any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("response body %q: %v", body, err)
	}
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, exp) {
		t.Errorf("response body = %s, want %s", body, want)
	}
}

// wireClient is client(srv, account, region) that records response bodies.
func wireClient(srv *httptest.Server, account string) (*cwl.Client, *recorder) {
	rec := &recorder{next: srv.Client().Transport}
	c := cwl.New(client(srv, account, region).Options(), func(o *cwl.Options) {
		o.HTTPClient = &http.Client{Transport: rec}
	})
	return c, rec
}

// serverWith is server(t) with a configuration edited by edit.
func serverWith(t *testing.T, edit func(*config.Config)) *httptest.Server {
	t.Helper()
	cfg := config.Default()
	cfg.Store = "memory"
	if os.Getenv("CWLOGD_TEST_STORE") == "sqlite" {
		cfg.Store, cfg.DataDir = "sqlite", t.TempDir()
	}
	edit(&cfg)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	a, err := app.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() { srv.Close(); a.Close() })
	return srv
}
