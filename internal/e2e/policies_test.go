package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// crossAccountPolicy is the policy of delivery-api.md §4.8: principal
// may create deliveries to dest's delivery destinations.
func crossAccountPolicy(principal, dest string) string {
	return `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowLogDeliveryActions",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::` + principal + `:root"},
      "Action": "logs:CreateDelivery",
      "Resource": [
        "arn:aws:logs:us-east-1:` + principal + `:delivery-source:*",
        "arn:aws:logs:us-east-1:` + dest + `:delivery:*",
        "arn:aws:logs:us-east-1:` + dest + `:delivery-destination:*"
      ]
    }
  ]
}`
}

func putPolicy(c *cwl.Client, dest, doc string) (*cwl.PutDeliveryDestinationPolicyOutput, error) {
	return c.PutDeliveryDestinationPolicy(ctx, &cwl.PutDeliveryDestinationPolicyInput{
		DeliveryDestinationName: aws.String(dest), DeliveryDestinationPolicy: aws.String(doc),
	})
}

func getPolicy(t *testing.T, c *cwl.Client, dest string) *types.Policy {
	t.Helper()
	out, err := c.GetDeliveryDestinationPolicy(ctx, &cwl.GetDeliveryDestinationPolicyInput{DeliveryDestinationName: aws.String(dest)})
	if err != nil {
		t.Fatal(err)
	}
	if out.Policy == nil {
		t.Fatal(`GetDeliveryDestinationPolicy answered no "policy" member`)
	}
	return out.Policy
}

func TestDeliveryDestinationPolicy(t *testing.T) {
	t.Parallel()
	doc := crossAccountPolicy(acct, acct)
	minified := compactJSON(t, doc)

	t.Run("put, get, delete", func(t *testing.T) {
		t.Parallel()
		c, wire := wireClient(server(t), acct)
		mkDestination(t, c, "dst", s3Arn("bucket"))
		same(t, "policy before any put", *getPolicy(t, c, "dst"), types.Policy{})
		wire.wantWire(t, `{"policy":{}}`)

		out, err := putPolicy(c, "dst", doc)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "PutDeliveryDestinationPolicy", *out.Policy, types.Policy{DeliveryDestinationPolicy: aws.String(minified)})
		same(t, "GetDeliveryDestinationPolicy", *getPolicy(t, c, "dst"), types.Policy{DeliveryDestinationPolicy: aws.String(minified)})

		if _, err := c.DeleteDeliveryDestinationPolicy(ctx, &cwl.DeleteDeliveryDestinationPolicyInput{DeliveryDestinationName: aws.String("dst")}); err != nil {
			t.Fatal(err)
		}
		wire.wantWire(t, `{}`)
		same(t, "policy after delete", *getPolicy(t, c, "dst"), types.Policy{})
		wire.wantWire(t, `{"policy":{}}`)
	})
	t.Run("put replaces the policy", func(t *testing.T) {
		t.Parallel()
		c := newClient(t)
		mkDestination(t, c, "dst", s3Arn("bucket"))
		if _, err := putPolicy(c, "dst", doc); err != nil {
			t.Fatal(err)
		}
		second := crossAccountPolicy(other, acct)
		if _, err := putPolicy(c, "dst", second); err != nil {
			t.Fatal(err)
		}
		same(t, "policy", *getPolicy(t, c, "dst"), types.Policy{DeliveryDestinationPolicy: aws.String(compactJSON(t, second))})
	})
	t.Run("invalid", func(t *testing.T) {
		t.Parallel()
		c := newClient(t)
		mkDestination(t, c, "dst", s3Arn("bucket"))
		for _, bad := range []string{`not json`, `{}`, `{"Statement":[]}`} {
			_, err := putPolicy(c, "dst", bad)
			wantErr[types.ValidationException](t, err, msgInvalidPolicy)
		}
		same(t, "policy", *getPolicy(t, c, "dst"), types.Policy{})
	})
	t.Run("unknown destination", func(t *testing.T) {
		t.Parallel()
		c := newClient(t)
		_, err := putPolicy(c, "nope", doc)
		wantErr[types.ResourceNotFoundException](t, err, msgDestinationNotFound)
		_, err = c.GetDeliveryDestinationPolicy(ctx, &cwl.GetDeliveryDestinationPolicyInput{DeliveryDestinationName: aws.String("nope")})
		wantErr[types.ResourceNotFoundException](t, err, msgDestinationNotFound)
		_, err = c.DeleteDeliveryDestinationPolicy(ctx, &cwl.DeleteDeliveryDestinationPolicyInput{DeliveryDestinationName: aws.String("nope")})
		wantErr[types.ResourceNotFoundException](t, err, msgDestinationNotFound)
	})
	t.Run("deleting the destination deletes its policy", func(t *testing.T) {
		t.Parallel()
		c := newClient(t)
		mkDestination(t, c, "dst", s3Arn("bucket"))
		if _, err := putPolicy(c, "dst", doc); err != nil {
			t.Fatal(err)
		}
		if _, err := c.DeleteDeliveryDestination(ctx, &cwl.DeleteDeliveryDestinationInput{Name: aws.String("dst")}); err != nil {
			t.Fatal(err)
		}
		_, err := c.GetDeliveryDestinationPolicy(ctx, &cwl.GetDeliveryDestinationPolicyInput{DeliveryDestinationName: aws.String("dst")})
		wantErr[types.ResourceNotFoundException](t, err, msgDestinationNotFound)
		mkDestination(t, c, "dst", s3Arn("bucket"))
		same(t, "policy of the re-created destination", *getPolicy(t, c, "dst"), types.Policy{})
	})
	t.Run("updating the destination keeps its policy", func(t *testing.T) {
		t.Parallel()
		c := newClient(t)
		mkDestination(t, c, "dst", s3Arn("bucket"))
		if _, err := putPolicy(c, "dst", doc); err != nil {
			t.Fatal(err)
		}
		mkDestination(t, c, "dst", s3Arn("other-bucket"))
		same(t, "policy", *getPolicy(t, c, "dst"), types.Policy{DeliveryDestinationPolicy: aws.String(minified)})
	})
}
