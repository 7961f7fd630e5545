package e2e

import (
	"errors"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// deliverySetup is one account with CloudFront source "src" and
// destinations "s3" (bucket), "s3b" (another bucket), "s3p" (bucket with a
// key prefix), "cwl" (log group) and "fh" (Firehose stream).
type deliverySetup struct {
	srv                           *httptest.Server
	c                             *cwl.Client
	s3, s3b, s3p, cwlDest, fhDest string // destination ARNs
}

func newDeliverySetup(t *testing.T) deliverySetup {
	t.Helper()
	srv := server(t)
	c := client(srv, acct, region)
	mkSource(t, c, "src")
	return deliverySetup{
		srv:     srv,
		c:       c,
		s3:      *mkDestination(t, c, "s3", s3Arn("bucket")).Arn,
		s3b:     *mkDestination(t, c, "s3b", s3Arn("bucket-b")).Arn,
		s3p:     *mkDestination(t, c, "s3p", s3Arn("bucket/prefix")).Arn,
		cwlDest: *mkDestination(t, c, "cwl", logGroupArn(acct, "my-group")).Arn,
		fhDest:  *mkDestination(t, c, "fh", firehoseArn(acct, "s")).Arn,
	}
}

func (s deliverySetup) create(in cwl.CreateDeliveryInput) (*types.Delivery, error) {
	if in.DeliverySourceName == nil {
		in.DeliverySourceName = aws.String("src")
	}
	out, err := s.c.CreateDelivery(ctx, &in)
	if err != nil {
		return nil, err
	}
	return out.Delivery, nil
}

func (s deliverySetup) describe(t *testing.T) []types.Delivery {
	t.Helper()
	var all []types.Delivery
	p := cwl.NewDescribeDeliveriesPaginator(s.c, &cwl.DescribeDeliveriesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Deliveries...)
	}
	return all
}

// CloudFront into S3 without configuration gets the recorded defaults.
func TestCreateDeliveryDefaults(t *testing.T) {
	t.Parallel()
	s := newDeliverySetup(t)
	got, err := s.create(cwl.CreateDeliveryInput{
		DeliveryDestinationArn: aws.String(s.s3), Tags: map[string]string{"key1": "value1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(got.Id)
	if !deliveryIDPattern.MatchString(id) {
		t.Fatalf("id = %q, want 16 characters [A-Za-z0-9]", id)
	}
	want := types.Delivery{
		Id:                      aws.String(id),
		Arn:                     aws.String("arn:aws:logs:us-east-1:111111111111:delivery:" + id),
		DeliverySourceName:      aws.String("src"),
		DeliveryDestinationArn:  aws.String("arn:aws:logs:us-east-1:111111111111:delivery-destination:s3"),
		DeliveryDestinationType: types.DeliveryDestinationTypeS3,
		RecordFields:            cloudFrontFields,
		S3DeliveryConfiguration: &types.S3DeliveryConfiguration{
			SuffixPath: aws.String(cloudFrontSuffix), EnableHiveCompatiblePath: aws.Bool(false),
		},
		Tags: map[string]string{"key1": "value1"},
	}
	same(t, "CreateDelivery", *got, want)

	want.Tags = nil
	same(t, "GetDelivery", *getDelivery(t, s.c, id), want)
	same(t, "DescribeDeliveries", s.describe(t), []types.Delivery{want})
	same(t, "tags", listTags(t, s.c, *want.Arn), map[string]string{"key1": "value1"})
}

// Ids are fresh for every delivery.
func TestCreateDeliveryIDs(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	dest := *mkDestination(t, c, "dst", logGroupArn(acct, "g")).Arn
	seen := map[string]bool{}
	for _, name := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		mkSource(t, c, name)
		d := mkDelivery(t, c, name, dest)
		id := aws.ToString(d.Id)
		if !deliveryIDPattern.MatchString(id) || seen[id] {
			t.Errorf("id %q: malformed or reused", id)
		}
		seen[id] = true
		same(t, "arn", aws.ToString(d.Arn), deliveryArn(acct, id))
	}
}

// Explicit configuration is echoed verbatim by Create and Get (recorded).
func TestCreateDeliveryExplicitConfiguration(t *testing.T) {
	t.Parallel()
	s := newDeliverySetup(t)
	got, err := s.create(cwl.CreateDeliveryInput{
		DeliveryDestinationArn: aws.String(s.s3),
		RecordFields:           []string{"date"},
		FieldDelimiter:         aws.String(","),
		S3DeliveryConfiguration: &types.S3DeliveryConfiguration{
			SuffixPath: aws.String("AWSLogs/111111111111/CloudFront/"), EnableHiveCompatiblePath: aws.Bool(true),
		},
		Tags: map[string]string{"key1": "value1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := types.Delivery{
		Id:                      got.Id,
		Arn:                     aws.String(deliveryArn(acct, aws.ToString(got.Id))),
		DeliverySourceName:      aws.String("src"),
		DeliveryDestinationArn:  aws.String(s.s3),
		DeliveryDestinationType: types.DeliveryDestinationTypeS3,
		RecordFields:            []string{"date"},
		FieldDelimiter:          aws.String(","),
		S3DeliveryConfiguration: &types.S3DeliveryConfiguration{
			SuffixPath: aws.String("AWSLogs/111111111111/CloudFront/"), EnableHiveCompatiblePath: aws.Bool(true),
		},
		Tags: map[string]string{"key1": "value1"},
	}
	same(t, "CreateDelivery", *got, want)
	want.Tags = nil
	same(t, "GetDelivery", *getDelivery(t, s.c, *got.Id), want)
}

// An explicit empty delimiter and an explicit false come back as values.
func TestCreateDeliveryZeroValues(t *testing.T) {
	t.Parallel()
	s := newDeliverySetup(t)
	got, err := s.create(cwl.CreateDeliveryInput{
		DeliveryDestinationArn:  aws.String(s.s3),
		FieldDelimiter:          aws.String(""),
		S3DeliveryConfiguration: &types.S3DeliveryConfiguration{EnableHiveCompatiblePath: aws.Bool(false)},
	})
	if err != nil {
		t.Fatal(err)
	}
	for what, d := range map[string]*types.Delivery{"CreateDelivery": got, "GetDelivery": getDelivery(t, s.c, *got.Id)} {
		if d.FieldDelimiter == nil || *d.FieldDelimiter != "" {
			t.Errorf("%s fieldDelimiter = %s, want \"\"", what, show(d.FieldDelimiter))
		}
		same(t, what+" s3DeliveryConfiguration", d.S3DeliveryConfiguration, &types.S3DeliveryConfiguration{
			SuffixPath: aws.String(cloudFrontSuffix), EnableHiveCompatiblePath: aws.Bool(false),
		})
		same(t, what+" recordFields", d.RecordFields, cloudFrontFields)
	}
}

// CloudFront into a bucket without a key prefix: AWS puts
// AWSLogs/{account-id}/CloudFront/ before the caller's suffixPath on create,
// never on update.
func TestDeliverySuffixPath(t *testing.T) {
	t.Parallel()
	const path = "cloudfront/{DistributionId}/{yyyy}/{MM}/{dd}"
	tests := []struct {
		name, dest, want string
	}{
		{"bucket", "s3", cloudFrontSuffix + path},
		{"bucket with key prefix", "s3p", path},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newDeliverySetup(t)
			got, err := s.create(cwl.CreateDeliveryInput{
				DeliveryDestinationArn:  aws.String(destinationArn(acct, tt.dest)),
				S3DeliveryConfiguration: &types.S3DeliveryConfiguration{SuffixPath: aws.String(path)},
			})
			if err != nil {
				t.Fatal(err)
			}
			want := &types.S3DeliveryConfiguration{SuffixPath: aws.String(tt.want), EnableHiveCompatiblePath: aws.Bool(false)}
			same(t, "CreateDelivery s3DeliveryConfiguration", got.S3DeliveryConfiguration, want)
			same(t, "GetDelivery s3DeliveryConfiguration", getDelivery(t, s.c, *got.Id).S3DeliveryConfiguration, want)

			_, err = s.c.UpdateDeliveryConfiguration(ctx, &cwl.UpdateDeliveryConfigurationInput{
				Id: got.Id, S3DeliveryConfiguration: &types.S3DeliveryConfiguration{SuffixPath: aws.String(path)},
			})
			if err != nil {
				t.Fatal(err)
			}
			same(t, "suffixPath after update", getDelivery(t, s.c, *got.Id).S3DeliveryConfiguration,
				&types.S3DeliveryConfiguration{SuffixPath: aws.String(path), EnableHiveCompatiblePath: aws.Bool(false)})
		})
	}
}

// At most one delivery per (source, destination type).
func TestCreateDeliveryConflicts(t *testing.T) {
	t.Parallel()
	t.Run("second S3 destination", func(t *testing.T) {
		t.Parallel()
		s := newDeliverySetup(t)
		first := mkDelivery(t, s.c, "src", s.s3)
		_, err := s.create(cwl.CreateDeliveryInput{DeliveryDestinationArn: aws.String(s.s3b)})
		wantErr[types.ConflictException](t, err, msgSameTypeExists)
		same(t, "deliveries", s.describe(t), []types.Delivery{*getDelivery(t, s.c, *first.Id)})
	})
	t.Run("same destination twice", func(t *testing.T) {
		t.Parallel()
		s := newDeliverySetup(t)
		mkDelivery(t, s.c, "src", s.s3)
		_, err := s.create(cwl.CreateDeliveryInput{DeliveryDestinationArn: aws.String(s.s3)})
		wantErr[types.ConflictException](t, err, msgDeliveryExists)
		if n := len(s.describe(t)); n != 1 {
			t.Errorf("%d deliveries, want 1", n)
		}
	})
	t.Run("S3, CWL and FH from one source", func(t *testing.T) {
		t.Parallel()
		s := newDeliverySetup(t)
		want := map[string]types.DeliveryDestinationType{
			s.s3: types.DeliveryDestinationTypeS3, s.cwlDest: types.DeliveryDestinationTypeCwl, s.fhDest: types.DeliveryDestinationTypeFh,
		}
		for arn, typ := range want {
			d := mkDelivery(t, s.c, "src", arn)
			same(t, "type", d.DeliveryDestinationType, typ)
		}
		got := map[string]types.DeliveryDestinationType{}
		for _, d := range s.describe(t) {
			if aws.ToString(d.DeliverySourceName) != "src" {
				t.Errorf("delivery of source %q", aws.ToString(d.DeliverySourceName))
			}
			got[aws.ToString(d.DeliveryDestinationArn)] = d.DeliveryDestinationType
		}
		same(t, "deliveries of src", got, want)
	})
	t.Run("after DeleteDelivery the type is free again", func(t *testing.T) {
		t.Parallel()
		s := newDeliverySetup(t)
		first := mkDelivery(t, s.c, "src", s.s3)
		if _, err := s.c.DeleteDelivery(ctx, &cwl.DeleteDeliveryInput{Id: first.Id}); err != nil {
			t.Fatal(err)
		}
		second := mkDelivery(t, s.c, "src", s.s3b)
		if *second.Id == *first.Id {
			t.Errorf("id %s reused", *first.Id)
		}
	})
}

func TestCreateDeliveryRefused(t *testing.T) {
	t.Parallel()
	s := newDeliverySetup(t)
	tests := []struct {
		name  string
		in    cwl.CreateDeliveryInput
		check func(t *testing.T, err error)
	}{
		{"S3 configuration for a log group", cwl.CreateDeliveryInput{
			DeliveryDestinationArn:  aws.String(s.cwlDest),
			S3DeliveryConfiguration: &types.S3DeliveryConfiguration{SuffixPath: aws.String("x/")},
		}, func(t *testing.T, err error) { wantErr[types.ValidationException](t, err, "") }},
		{"unknown source", cwl.CreateDeliveryInput{
			DeliverySourceName: aws.String("nope"), DeliveryDestinationArn: aws.String(s.s3),
		}, func(t *testing.T, err error) { wantErr[types.ResourceNotFoundException](t, err, msgSourceNotFound) }},
		{"unknown destination", cwl.CreateDeliveryInput{
			DeliveryDestinationArn: aws.String(destinationArn(acct, "nope")),
		}, func(t *testing.T, err error) {
			wantErr[types.ResourceNotFoundException](t, err, msgDestinationNotFound)
		}},
		{"unknown record field", cwl.CreateDeliveryInput{
			DeliveryDestinationArn: aws.String(s.s3), RecordFields: []string{"date", "no-such-field"},
		}, func(t *testing.T, err error) { wantErr[types.ValidationException](t, err, "") }},
		{"unknown suffixPath variable", cwl.CreateDeliveryInput{
			DeliveryDestinationArn:  aws.String(s.s3),
			S3DeliveryConfiguration: &types.S3DeliveryConfiguration{SuffixPath: aws.String("logs/{nope}/")},
		}, func(t *testing.T, err error) { wantErr[types.ValidationException](t, err, msgSuffixPathInvalid) }},
		{"hand-written Hive keys with enableHiveCompatiblePath", cwl.CreateDeliveryInput{
			DeliveryDestinationArn: aws.String(s.s3),
			S3DeliveryConfiguration: &types.S3DeliveryConfiguration{
				SuffixPath: aws.String("AWSLogs/{account-id}/CloudFront/year={yyyy}/month={MM}/"), EnableHiveCompatiblePath: aws.Bool(true),
			},
		}, func(t *testing.T, err error) { wantErr[types.ValidationException](t, err, msgSuffixPathInvalid) }},
		{"field delimiter CloudFront does not allow", cwl.CreateDeliveryInput{
			DeliveryDestinationArn: aws.String(s.s3), FieldDelimiter: aws.String("|"),
		}, func(t *testing.T, err error) { wantErr[types.ValidationException](t, err, "") }},
		{"source logs cannot go to X-Ray", cwl.CreateDeliveryInput{
			DeliveryDestinationArn: aws.String(*mkXRayDestination(t, s.c, "xray").Arn),
		}, func(t *testing.T, err error) { wantErr[types.ValidationException](t, err, "") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := s.create(tt.in)
			if err == nil { // keep the other cases independent
				defer s.c.DeleteDelivery(ctx, &cwl.DeleteDeliveryInput{Id: d.Id})
			}
			tt.check(t, err)
		})
	}
	if got := s.describe(t); len(got) != 0 {
		t.Errorf("refused creates left deliveries: %s", show(got))
	}
}

func TestDeleteInUse(t *testing.T) {
	t.Parallel()
	s := newDeliverySetup(t)
	d := mkDelivery(t, s.c, "src", s.s3)

	_, err := s.c.DeleteDeliverySource(ctx, &cwl.DeleteDeliverySourceInput{Name: aws.String("src")})
	wantErr[types.ConflictException](t, err, "")
	_, err = s.c.DeleteDeliveryDestination(ctx, &cwl.DeleteDeliveryDestinationInput{Name: aws.String("s3")})
	wantErr[types.ConflictException](t, err, "")
	same(t, "delivery after refused deletes", *getDelivery(t, s.c, *d.Id).Id, *d.Id)

	if _, err := s.c.DeleteDelivery(ctx, &cwl.DeleteDeliveryInput{Id: d.Id}); err != nil {
		t.Fatal(err)
	}
	_, err = s.c.GetDelivery(ctx, &cwl.GetDeliveryInput{Id: d.Id})
	wantErr[types.ResourceNotFoundException](t, err, msgDeliveryNotFound)
	_, err = s.c.DeleteDelivery(ctx, &cwl.DeleteDeliveryInput{Id: d.Id})
	wantErr[types.ResourceNotFoundException](t, err, msgDeliveryNotFound)

	// DeleteDelivery removed only the pairing.
	if _, err := s.c.GetDeliverySource(ctx, &cwl.GetDeliverySourceInput{Name: aws.String("src")}); err != nil {
		t.Fatalf("source gone with its delivery: %v", err)
	}
	if _, err := s.c.GetDeliveryDestination(ctx, &cwl.GetDeliveryDestinationInput{Name: aws.String("s3")}); err != nil {
		t.Fatalf("destination gone with its delivery: %v", err)
	}
	if _, err := s.c.DeleteDeliverySource(ctx, &cwl.DeleteDeliverySourceInput{Name: aws.String("src")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.c.DeleteDeliveryDestination(ctx, &cwl.DeleteDeliveryDestinationInput{Name: aws.String("s3")}); err != nil {
		t.Fatal(err)
	}
}

func TestDeliveryNotFound(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	id := aws.String("AAAAAAAAAAAAAAAA")
	_, err := c.GetDelivery(ctx, &cwl.GetDeliveryInput{Id: id})
	wantErr[types.ResourceNotFoundException](t, err, msgDeliveryNotFound)
	_, err = c.DeleteDelivery(ctx, &cwl.DeleteDeliveryInput{Id: id})
	wantErr[types.ResourceNotFoundException](t, err, msgDeliveryNotFound)
	_, err = c.UpdateDeliveryConfiguration(ctx, &cwl.UpdateDeliveryConfigurationInput{Id: id, RecordFields: []string{"date"}})
	wantErr[types.ResourceNotFoundException](t, err, msgDeliveryNotFound)
}

func TestUpdateDeliveryConfiguration(t *testing.T) {
	t.Parallel()
	update := func(c *cwl.Client, in cwl.UpdateDeliveryConfigurationInput) error {
		out, err := c.UpdateDeliveryConfiguration(ctx, &in)
		if err == nil && out == nil {
			return errors.New("UpdateDeliveryConfiguration answered no output")
		}
		return err
	}

	t.Run("members sent replace, the others stay", func(t *testing.T) {
		t.Parallel()
		s := newDeliverySetup(t)
		d := mkDelivery(t, s.c, "src", s.s3)
		want := *getDelivery(t, s.c, *d.Id)

		wc, wire := wireClient(s.srv, acct)
		if err := update(wc, cwl.UpdateDeliveryConfigurationInput{Id: d.Id, RecordFields: []string{"time", "date"}}); err != nil {
			t.Fatal(err)
		}
		wire.wantWire(t, `{}`)
		want.RecordFields = []string{"time", "date"}
		same(t, "after recordFields", *getDelivery(t, s.c, *d.Id), want)

		if err := update(s.c, cwl.UpdateDeliveryConfigurationInput{Id: d.Id, FieldDelimiter: aws.String("\t")}); err != nil {
			t.Fatal(err)
		}
		want.FieldDelimiter = aws.String("\t")
		same(t, "after fieldDelimiter", *getDelivery(t, s.c, *d.Id), want)

		err := update(s.c, cwl.UpdateDeliveryConfigurationInput{
			Id: d.Id, S3DeliveryConfiguration: &types.S3DeliveryConfiguration{SuffixPath: aws.String("logs/{yyyy}/"), EnableHiveCompatiblePath: aws.Bool(true)},
		})
		if err != nil {
			t.Fatal(err)
		}
		want.S3DeliveryConfiguration = &types.S3DeliveryConfiguration{SuffixPath: aws.String("logs/{yyyy}/"), EnableHiveCompatiblePath: aws.Bool(true)}
		same(t, "after s3DeliveryConfiguration", *getDelivery(t, s.c, *d.Id), want)

		// Source, destination, id and ARN never change.
		same(t, "identity", []any{want.Id, want.Arn, want.DeliverySourceName, want.DeliveryDestinationArn},
			[]any{d.Id, d.Arn, d.DeliverySourceName, d.DeliveryDestinationArn})
	})
	t.Run("sending back the defaults", func(t *testing.T) {
		t.Parallel()
		s := newDeliverySetup(t)
		for _, dest := range []string{s.s3, s.cwlDest, s.fhDest} {
			d := mkDelivery(t, s.c, "src", dest)
			before := *getDelivery(t, s.c, *d.Id)
			err := update(s.c, cwl.UpdateDeliveryConfigurationInput{
				Id: d.Id, RecordFields: before.RecordFields, FieldDelimiter: before.FieldDelimiter,
				S3DeliveryConfiguration: before.S3DeliveryConfiguration,
			})
			if err != nil {
				t.Fatalf("%s: %v", dest, err)
			}
			same(t, "delivery after the no-op update", *getDelivery(t, s.c, *d.Id), before)
		}
	})
	t.Run("refused", func(t *testing.T) {
		t.Parallel()
		s := newDeliverySetup(t)
		s3 := mkDelivery(t, s.c, "src", s.s3)
		cw := mkDelivery(t, s.c, "src", s.cwlDest)
		before := *getDelivery(t, s.c, *s3.Id)

		err := update(s.c, cwl.UpdateDeliveryConfigurationInput{Id: s3.Id, RecordFields: []string{"no-such-field"}})
		wantErr[types.ValidationException](t, err, "")
		err = update(s.c, cwl.UpdateDeliveryConfigurationInput{
			Id: s3.Id, S3DeliveryConfiguration: &types.S3DeliveryConfiguration{SuffixPath: aws.String("{nope}")},
		})
		wantErr[types.ValidationException](t, err, msgSuffixPathInvalid)
		err = update(s.c, cwl.UpdateDeliveryConfigurationInput{Id: s3.Id, FieldDelimiter: aws.String("|")})
		wantErr[types.ValidationException](t, err, "")
		err = update(s.c, cwl.UpdateDeliveryConfigurationInput{
			Id: cw.Id, S3DeliveryConfiguration: &types.S3DeliveryConfiguration{SuffixPath: aws.String("x/")},
		})
		wantErr[types.ValidationException](t, err, "")
		same(t, "delivery after refused updates", *getDelivery(t, s.c, *s3.Id), before)
	})
	t.Run("hand-written Hive keys with enableHiveCompatiblePath", func(t *testing.T) {
		t.Parallel()
		s := newDeliverySetup(t)
		d := mkDelivery(t, s.c, "src", s.s3)
		err := update(s.c, cwl.UpdateDeliveryConfigurationInput{
			Id: d.Id, S3DeliveryConfiguration: &types.S3DeliveryConfiguration{SuffixPath: aws.String("year={yyyy}/"), EnableHiveCompatiblePath: aws.Bool(true)},
		})
		wantErr[types.ValidationException](t, err, msgSuffixPathInvalid)
		// Turning Hive on under a stored path that has '=' is the same.
		err = update(s.c, cwl.UpdateDeliveryConfigurationInput{
			Id: d.Id, S3DeliveryConfiguration: &types.S3DeliveryConfiguration{SuffixPath: aws.String("year={yyyy}/")},
		})
		if err != nil {
			t.Fatal(err) // '=' is a literal folder name while Hive is off
		}
		err = update(s.c, cwl.UpdateDeliveryConfigurationInput{
			Id: d.Id, S3DeliveryConfiguration: &types.S3DeliveryConfiguration{EnableHiveCompatiblePath: aws.Bool(true)},
		})
		wantErr[types.ValidationException](t, err, msgSuffixPathInvalid)
	})
}

// TRACES go to X-Ray only; an X-Ray delivery has no S3 configuration.
func TestCreateDeliveryXRay(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	const runtime = "arn:aws:bedrock-agentcore:us-east-1:111111111111:runtime/my_agent-AbCdEf1234"
	mkSourceFor(t, c, "traces", runtime, "TRACES")
	mkSourceFor(t, c, "app", runtime, "APPLICATION_LOGS")
	xray := *mkXRayDestination(t, c, "xray").Arn
	bucket := *mkDestination(t, c, "s3", s3Arn("bucket")).Arn

	d := mkDelivery(t, c, "traces", xray)
	want := types.Delivery{
		Id: d.Id, Arn: aws.String(deliveryArn(acct, aws.ToString(d.Id))),
		DeliverySourceName: aws.String("traces"), DeliveryDestinationArn: aws.String(xray),
		DeliveryDestinationType: types.DeliveryDestinationTypeXray,
	}
	same(t, "CreateDelivery", *d, want)
	same(t, "GetDelivery", *getDelivery(t, c, *d.Id), want)

	for _, in := range []cwl.CreateDeliveryInput{
		{DeliverySourceName: aws.String("traces"), DeliveryDestinationArn: aws.String(bucket)},
		{DeliverySourceName: aws.String("app"), DeliveryDestinationArn: aws.String(xray)},
	} {
		_, err := c.CreateDelivery(ctx, &in)
		wantErr[types.ValidationException](t, err, "")
	}
	// The application logs of the same resource go to S3.
	mkDelivery(t, c, "app", bucket)
}

// Racing creates for one (source, destination type): exactly one wins.
func TestCreateDeliveryRace(t *testing.T) {
	t.Parallel()
	const n = 20
	for _, sameDest := range []bool{false, true} {
		name := "different destinations"
		if sameDest {
			name = "same destination"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newClient(t)
			mkSource(t, c, "src")
			dests := make([]string, n)
			for i := range dests {
				if i == 0 || !sameDest {
					dests[i] = *mkDestination(t, c, "dst"+string(rune('a'+i)), s3Arn("bucket-"+string(rune('a'+i)))).Arn
				} else {
					dests[i] = dests[0]
				}
			}
			var (
				wg    sync.WaitGroup
				start = make(chan struct{})
				errs  = make([]error, n)
			)
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, errs[i] = c.CreateDelivery(ctx, &cwl.CreateDeliveryInput{
						DeliverySourceName: aws.String("src"), DeliveryDestinationArn: aws.String(dests[i]),
					})
				}()
			}
			close(start)
			wg.Wait()
			wins := 0
			for _, err := range errs {
				if err == nil {
					wins++
					continue
				}
				wantErr[types.ConflictException](t, err, "")
			}
			if wins != 1 {
				t.Fatalf("%d creates succeeded, want 1", wins)
			}
			out, err := c.DescribeDeliveries(ctx, &cwl.DescribeDeliveriesInput{})
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Deliveries) != 1 || !slices.Contains(dests, aws.ToString(out.Deliveries[0].DeliveryDestinationArn)) {
				t.Fatalf("deliveries = %s, want exactly one", show(out.Deliveries))
			}
		})
	}
}
