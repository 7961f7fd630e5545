package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// taggables creates an untagged source (of an ALB, which any region
// accepts), destination and delivery and returns their ARNs by kind.
func taggables(t *testing.T, c *cwl.Client) map[string]string {
	t.Helper()
	src := mkSourceFor(t, c, "src", "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/my-lb/0123456789abcdef", "ALB_ACCESS_LOGS")
	dst := mkDestination(t, c, "dst", s3Arn("bucket"))
	d := mkDelivery(t, c, "src", *dst.Arn)
	return map[string]string{"source": *src.Arn, "destination": *dst.Arn, "delivery": *d.Arn}
}

func tag(c *cwl.Client, arn string, tags map[string]string) error {
	_, err := c.TagResource(ctx, &cwl.TagResourceInput{ResourceArn: aws.String(arn), Tags: tags})
	return err
}

func untag(c *cwl.Client, arn string, keys ...string) error {
	_, err := c.UntagResource(ctx, &cwl.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: keys})
	return err
}

func manyTags(n int, prefix string) map[string]string {
	m := make(map[string]string, n)
	for i := range n {
		m[fmt.Sprintf("%s%02d", prefix, i)] = "v"
	}
	return m
}

func TestTagResource(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	for kind, arn := range taggables(t, c) {
		t.Run(kind, func(t *testing.T) {
			if got := listTags(t, c, arn); len(got) != 0 {
				t.Fatalf("untagged %s has tags %v", kind, got)
			}
			if err := tag(c, arn, map[string]string{"a": "1", "b": "2"}); err != nil {
				t.Fatal(err)
			}
			same(t, "after tag", listTags(t, c, arn), map[string]string{"a": "1", "b": "2"})
			if err := tag(c, arn, map[string]string{"b": "3", "c": ""}); err != nil {
				t.Fatal(err)
			}
			same(t, "after retag", listTags(t, c, arn), map[string]string{"a": "1", "b": "3", "c": ""})
			if err := untag(c, arn, "a", "never-set"); err != nil {
				t.Fatal(err)
			}
			same(t, "after untag", listTags(t, c, arn), map[string]string{"b": "3", "c": ""})
			if err := untag(c, arn, "b", "c"); err != nil {
				t.Fatal(err)
			}
			if got := listTags(t, c, arn); len(got) != 0 {
				t.Fatalf("tags after removing all: %v", got)
			}
		})
	}
}

// Tags given at creation are the resource's tags.
func TestTagsAtCreation(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	tags := map[string]string{"team": "logs", "env": "test"}
	src, err := c.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{
		Name: aws.String("src"), ResourceArn: aws.String(cfArn("src")), LogType: aws.String("ACCESS_LOGS"), Tags: tags,
	})
	if err != nil {
		t.Fatal(err)
	}
	dst, err := c.PutDeliveryDestination(ctx, &cwl.PutDeliveryDestinationInput{
		Name: aws.String("dst"), DeliveryDestinationConfiguration: destConfig(s3Arn("bucket")), Tags: tags,
	})
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.CreateDelivery(ctx, &cwl.CreateDeliveryInput{
		DeliverySourceName: aws.String("src"), DeliveryDestinationArn: dst.DeliveryDestination.Arn, Tags: tags,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, arn := range []string{*src.DeliverySource.Arn, *dst.DeliveryDestination.Arn, *d.Delivery.Arn} {
		same(t, "tags of "+arn, listTags(t, c, arn), tags)
	}
}

// A resource holds at most 50 tags: going past that is TooManyTags. A
// single request of 51 tags already breaks the model's map constraint, a
// shape error (InvalidParameterException for the tagging operations).
func TestTooManyTags(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	for kind, arn := range taggables(t, c) {
		t.Run(kind, func(t *testing.T) {
			err := tag(c, arn, manyTags(51, "k"))
			e := wantErr[types.InvalidParameterException](t, err, "")
			if !strings.HasSuffix(e.ErrorMessage(), "' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50") {
				t.Errorf("message = %q", e.ErrorMessage())
			}
			if got := listTags(t, c, arn); len(got) != 0 {
				t.Fatalf("refused TagResource left tags %v", got)
			}
			// 50 is the limit, counting the tags already there.
			if err := tag(c, arn, manyTags(49, "k")); err != nil {
				t.Fatal(err)
			}
			err = tag(c, arn, manyTags(2, "x"))
			wantErr[types.TooManyTagsException](t, err, msgTooManyTags)
			if n := len(listTags(t, c, arn)); n != 49 {
				t.Fatalf("%d tags after the refused TagResource, want 49", n)
			}
			if err := tag(c, arn, manyTags(1, "x")); err != nil {
				t.Fatalf("50th tag: %v", err)
			}
			err = tag(c, arn, map[string]string{"one-more": "v"})
			wantErr[types.TooManyTagsException](t, err, msgTooManyTags)
			// Overwriting an existing key does not add one.
			if err := tag(c, arn, map[string]string{"k00": "new"}); err != nil {
				t.Fatal(err)
			}
			tags := listTags(t, c, arn)
			if len(tags) != 50 || tags["k00"] != "new" {
				t.Fatalf("tags = %v, want 50 with k00=new", tags)
			}
		})
	}
	// A full resource can still be created with 50 tags.
	_, err := c.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{
		Name: aws.String("full"), ResourceArn: aws.String(cfArn("full")), LogType: aws.String("ACCESS_LOGS"), Tags: manyTags(50, "k"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(listTags(t, c, sourceArn(acct, "full"))); n != 50 {
		t.Errorf("%d tags, want 50", n)
	}
}

// Tagging an ARN that names nothing the caller owns is ResourceNotFound.
func TestTagUnknownResource(t *testing.T) {
	t.Parallel()
	srv := server(t)
	a, b := client(srv, acct, region), client(srv, other, region)
	theirs := taggables(t, b)
	west := taggables(t, client(srv, acct, westRegion))
	arns := map[string]string{
		"own source in another region":   west["source"],
		"own delivery in another region": west["delivery"],
		"missing source":                 sourceArn(acct, "nope"),
		"missing destination":            destinationArn(acct, "nope"),
		"missing delivery":               deliveryArn(acct, "AAAAAAAAAAAAAAAA"),
		"other account's source":         theirs["source"],
		"other account's delivery":       theirs["delivery"],
		"other account's dest":           theirs["destination"],
	}
	for name, arn := range arns {
		t.Run(name, func(t *testing.T) {
			_, err := a.ListTagsForResource(ctx, &cwl.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
			wantErr[types.ResourceNotFoundException](t, err, "")
			wantErr[types.ResourceNotFoundException](t, tag(a, arn, map[string]string{"k": "v"}), "")
			wantErr[types.ResourceNotFoundException](t, untag(a, arn, "k"), "")
		})
	}
	for kind, arn := range theirs {
		if got := listTags(t, b, arn); len(got) != 0 {
			t.Errorf("%s of %s got tags %v from another account", kind, other, got)
		}
	}
}

// A resource's tags go with it: a re-created one starts untagged.
func TestTagsDeletedWithResource(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	arns := taggables(t, c)
	for _, arn := range arns {
		if err := tag(c, arn, map[string]string{"k": "v"}); err != nil {
			t.Fatal(err)
		}
	}
	d := getDelivery(t, c, arns["delivery"][strings.LastIndexByte(arns["delivery"], ':')+1:])
	if _, err := c.DeleteDelivery(ctx, &cwl.DeleteDeliveryInput{Id: d.Id}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteDeliverySource(ctx, &cwl.DeleteDeliverySourceInput{Name: aws.String("src")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteDeliveryDestination(ctx, &cwl.DeleteDeliveryDestinationInput{Name: aws.String("dst")}); err != nil {
		t.Fatal(err)
	}
	for kind, arn := range arns {
		_, err := c.ListTagsForResource(ctx, &cwl.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
		wantErr[types.ResourceNotFoundException](t, err, "")
		if kind == "delivery" {
			continue
		}
		if kind == "source" {
			mkSource(t, c, "src")
		} else {
			mkDestination(t, c, "dst", s3Arn("bucket"))
		}
		if got := listTags(t, c, arn); len(got) != 0 {
			t.Errorf("re-created %s has the old tags %v", kind, got)
		}
	}
}

// Shape errors of the tagging operations are InvalidParameterException;
// those of the delivery operations ValidationException.
func TestTagShapeErrors(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	arn := *mkSource(t, c, "src").Arn
	long := strings.Repeat("k", 129)

	err := tag(c, arn, map[string]string{long: "v"})
	wantErr[types.InvalidParameterException](t, err, "")
	err = untag(c, arn, long)
	wantErr[types.InvalidParameterException](t, err, "")
	_, err = c.ListTagsForResource(ctx, &cwl.ListTagsForResourceInput{ResourceArn: aws.String("arn with spaces")})
	wantErr[types.InvalidParameterException](t, err, "")
	err = tag(c, arn, map[string]string{"k": strings.Repeat("v", 257)})
	wantErr[types.InvalidParameterException](t, err, "")

	_, err = c.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{
		Name: aws.String("other"), ResourceArn: aws.String(cfArn("other")), LogType: aws.String("ACCESS_LOGS"),
		Tags: map[string]string{long: "v"},
	})
	wantErr[types.ValidationException](t, err, "")
	name := strings.Repeat("n", 61)
	_, err = c.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{
		Name: aws.String(name), ResourceArn: aws.String(seedSourceArn), LogType: aws.String("ACCESS_LOGS"),
	})
	wantErr[types.ValidationException](t, err, "1 validation error detected: Value '"+name+
		"' at 'name' failed to satisfy constraint: Member must have length less than or equal to 60")
	if got := listTags(t, c, arn); len(got) != 0 {
		t.Errorf("refused calls left tags %v", got)
	}
}
