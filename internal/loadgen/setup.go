package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// MaxSetup caps the setup, filling the read stream included.
const MaxSetup = 10 * time.Minute

// setup creates what the run's operation needs, if Config.Setup says so,
// and finds the read stream of GetLogEvents and FilterLogEvents. It is
// idempotent: a second run against the same server overwrites or reuses
// what the first created.
func (r *runner) setup(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, MaxSetup)
	defer cancel()
	s := &setupClient{c: r.c, region: r.cfg.Region, account: r.cfg.Account}
	switch r.cfg.Op {
	case OpGetLogEvents, OpFilterLogEvents:
		return r.setupRead(ctx, s)
	}
	if !r.cfg.Setup {
		return nil
	}
	switch r.cfg.Op {
	case OpPutLogEvents:
		return s.setupPut(ctx, r.cfg.Clients)
	case OpGetDeliverySource:
		return s.putSource(ctx, SourceName, distributionArn(r.cfg.Account, "SRC"))
	case OpPutDeliverySource:
		return nil // the run creates its own sources
	case OpDescribeDeliveries:
		if err := s.putSource(ctx, SourceName, distributionArn(r.cfg.Account, "SRC")); err != nil {
			return err
		}
		dest, err := s.putDestination(ctx)
		if err != nil {
			return err
		}
		return s.createDelivery(ctx, SourceName, dest)
	case OpCreateDeleteDelivery:
		dest, err := s.putDestination(ctx)
		if err != nil {
			return err
		}
		// Each client has its own source: a source holds one delivery per
		// destination type, so clients sharing one would conflict.
		for i := 0; i < r.cfg.Clients; i++ {
			if err := s.putSource(ctx, cddSource(i), distributionArn(r.cfg.Account, fmt.Sprintf("CDD%d", i))); err != nil {
				return err
			}
		}
		if err := s.deleteDeliveriesOf(ctx, cddPrefix); err != nil {
			return err
		}
		r.setCreates(dest)
		return nil
	}
	return fmt.Errorf("unknown op %q", r.cfg.Op)
}

type setupClient struct {
	c               *client
	region, account string
	buf             bytes.Buffer
}

func (s *setupClient) call(ctx context.Context, op string, in any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return s.c.call(ctx, &s.buf, targetPrefix+op, b)
}

func (s *setupClient) putSource(ctx context.Context, name, resourceArn string) error {
	return s.call(ctx, "PutDeliverySource", map[string]string{
		"name": name, "resourceArn": resourceArn, "logType": "ACCESS_LOGS",
	})
}

// putDestination creates the S3 delivery destination and returns its ARN.
func (s *setupClient) putDestination(ctx context.Context) (string, error) {
	err := s.call(ctx, "PutDeliveryDestination", map[string]any{
		"name":                             DestinationName,
		"deliveryDestinationConfiguration": map[string]string{"destinationResourceArn": bucketArn},
	})
	if err != nil {
		return "", err
	}
	var out struct {
		DeliveryDestination struct {
			Arn string `json:"arn"`
		} `json:"deliveryDestination"`
	}
	if err := json.Unmarshal(s.buf.Bytes(), &out); err != nil || out.DeliveryDestination.Arn == "" {
		return "", fmt.Errorf("PutDeliveryDestination: no ARN in %s", truncate(s.buf.Bytes(), errorBodyMax))
	}
	return out.DeliveryDestination.Arn, nil
}

// createDelivery creates a delivery, content if it already exists.
func (s *setupClient) createDelivery(ctx context.Context, source, destArn string) error {
	err := s.call(ctx, "CreateDelivery", map[string]string{
		"deliverySourceName": source, "deliveryDestinationArn": destArn,
	})
	var se *statusError
	if errors.As(err, &se) && strings.Contains(se.body, "ConflictException") {
		return nil
	}
	return err
}

// deleteDeliveriesOf deletes the deliveries whose source name starts with
// prefix, left over from an interrupted run.
func (s *setupClient) deleteDeliveriesOf(ctx context.Context, prefix string) error {
	var ids []string
	token := ""
	for page := 0; page < 1000; page++ {
		in := map[string]any{}
		if token != "" {
			in["nextToken"] = token
		}
		if err := s.call(ctx, "DescribeDeliveries", in); err != nil {
			return err
		}
		var out struct {
			Deliveries []struct {
				ID                 string `json:"id"`
				DeliverySourceName string `json:"deliverySourceName"`
			} `json:"deliveries"`
			NextToken string `json:"nextToken"`
		}
		if err := json.Unmarshal(s.buf.Bytes(), &out); err != nil {
			return fmt.Errorf("DescribeDeliveries: %w", err)
		}
		for _, d := range out.Deliveries {
			if strings.HasPrefix(d.DeliverySourceName, prefix) {
				ids = append(ids, d.ID)
			}
		}
		if token = out.NextToken; token == "" {
			break
		}
	}
	for _, id := range ids {
		if err := s.call(ctx, "DeleteDelivery", map[string]string{"id": id}); err != nil {
			return err
		}
	}
	return nil
}

// setupRead fills the read stream (with Config.Setup) and finds its range.
func (r *runner) setupRead(ctx context.Context, s *setupClient) error {
	if r.cfg.Setup {
		st, err := s.setupRead(ctx, r.cfg.Fill)
		if err != nil {
			return err
		}
		r.filled = st
	}
	rr, err := s.readRange(ctx)
	if err != nil {
		return err
	}
	need := int64(r.cfg.Page)
	if r.cfg.Op == OpFilterLogEvents {
		need = r.cfg.Window
	}
	if rr.count < need {
		return fmt.Errorf("%s/%s holds %d events, fewer than the %d an iteration reads (fill it with --setup)", ReadGroupName, ReadStreamName, rr.count, need)
	}
	r.read = rr
	return nil
}
