package loadgen

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// MaxWait caps how long WaitReady polls.
const MaxWait = 5 * time.Minute

// readyPoll is the pause between two failed probes.
const readyPoll = 500 * time.Microsecond

// WaitReady polls endpoint with a real, signed request (DescribeDeliverySources)
// until one is answered with a 2xx status, and returns when that answer
// arrived. It gives up after timeout (at most MaxWait).
func WaitReady(ctx context.Context, endpoint, region, account string, timeout time.Duration) (time.Time, error) {
	if timeout <= 0 || timeout > MaxWait {
		return time.Time{}, fmt.Errorf("wait timeout %s: want more than 0 and at most %s", timeout, MaxWait)
	}
	c, err := newClient(endpoint, region, account, DefaultSecretKey, 1, timeout)
	if err != nil {
		return time.Time{}, err
	}
	defer c.close()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	b := newBody(`{}`)
	target := targetPrefix + "DescribeDeliverySources"
	var buf bytes.Buffer
	var last string
	for {
		status, err := c.do(ctx, &buf, target, b.data, b.hash, nil)
		if err == nil && status/100 == 2 {
			return time.Now(), nil
		}
		switch {
		case ctx.Err() != nil && last != "":
			// keep the last answer from before the deadline
		case err != nil:
			last = err.Error()
		default:
			last = fmt.Sprintf("HTTP %d: %s", status, truncate(buf.Bytes(), errorBodyMax))
		}
		select {
		case <-ctx.Done():
			return time.Time{}, fmt.Errorf("%s not ready after %s: %s", endpoint, timeout, last)
		case <-time.After(readyPoll):
		}
	}
}

// ParseSince parses a start time given as Unix seconds with an optional
// fraction ("1732512345.123456", as bash's EPOCHREALTIME prints it; a comma
// is accepted as the decimal mark).
func ParseSince(s string) (time.Time, error) {
	secs, frac, _ := strings.Cut(strings.Replace(s, ",", ".", 1), ".")
	sec, err := strconv.ParseInt(secs, 10, 64)
	if err != nil || sec <= 0 {
		return time.Time{}, fmt.Errorf("since %q: want Unix seconds such as 1732512345.123456", s)
	}
	var nsec int64
	if frac != "" {
		if len(frac) > 9 {
			frac = frac[:9]
		}
		n, err := strconv.ParseUint(frac, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("since %q: want Unix seconds such as 1732512345.123456", s)
		}
		nsec = int64(n)
		for i := len(frac); i < 9; i++ {
			nsec *= 10
		}
	}
	return time.Unix(sec, nsec), nil
}

// ReadSince returns the start time the file at path holds (as ParseSince
// reads it, ended by a newline), waiting up to wait for it to be written.
func ReadSince(path string, wait time.Duration) (time.Time, error) {
	deadline := time.Now().Add(wait)
	for {
		b, err := os.ReadFile(path)
		if err == nil && bytes.HasSuffix(b, []byte("\n")) {
			return ParseSince(strings.TrimSpace(string(b)))
		}
		if time.Now().After(deadline) {
			return time.Time{}, fmt.Errorf("%s: no start time after %s", path, wait)
		}
		time.Sleep(time.Millisecond)
	}
}
