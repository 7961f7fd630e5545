package e2e

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// TestExportImport moves a state from SQLite to PostgreSQL with the two
// commands and reads it back, identical, through the API.
func TestExportImport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	dsn := freshPostgres(t)
	bin := buildBinary(t)
	dir := t.TempDir()
	sqliteArgs := []string{"--store", "sqlite", "--data-dir", dir}

	p := startProcess(t, bin, sqliteArgs)
	c := crashClient(p.url, 5)
	ctx := context.Background()
	src, err := c.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{Name: aws.String("src"), LogType: aws.String("ACCESS_LOGS"),
		ResourceArn: aws.String("arn:aws:cloudfront::111111111111:distribution/E1"), Tags: map[string]string{"k": "v"}})
	if err != nil {
		t.Fatal(err)
	}
	dst, err := c.PutDeliveryDestination(ctx, &cwl.PutDeliveryDestinationInput{Name: aws.String("dst"), OutputFormat: types.OutputFormatW3c,
		DeliveryDestinationConfiguration: &types.DeliveryDestinationConfiguration{DestinationResourceArn: aws.String("arn:aws:s3:::bucket-x/prefix")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutDeliveryDestinationPolicy(ctx, &cwl.PutDeliveryDestinationPolicyInput{DeliveryDestinationName: aws.String("dst"),
		DeliveryDestinationPolicy: aws.String(`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"logs:CreateDelivery","Resource":"*"}]}`)}); err != nil {
		t.Fatal(err)
	}
	d, err := c.CreateDelivery(ctx, &cwl.CreateDeliveryInput{DeliverySourceName: aws.String("src"), DeliveryDestinationArn: dst.DeliveryDestination.Arn,
		FieldDelimiter: aws.String(""), RecordFields: []string{}, Tags: map[string]string{"d": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	before := readAll(t, c, "src", "dst", *d.Delivery.Id)
	p.kill(t)

	file := filepath.Join(t.TempDir(), "state.json")
	run(t, bin, append([]string{"export", "--out", file}, sqliteArgs...)...)
	run(t, bin, "import", "--in", file, "--store", dsn)

	p = startProcess(t, bin, []string{"--store", dsn})
	after := readAll(t, crashClient(p.url, 5), "src", "dst", *d.Delivery.Id)
	sameJSON(t, "state after export and import", after, before)
	if before["sourceTags"] == nil || src.DeliverySource.Tags["k"] != "v" {
		t.Fatalf("tags missing: %v", before)
	}
}

func run(t *testing.T, bin string, args ...string) {
	t.Helper()
	if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("cwlogd %v: %v\n%s", args, err, out)
	}
}

// readAll reads one source, destination (with policy) and delivery, with
// their tags.
func readAll(t *testing.T, c *cwl.Client, src, dst, id string) map[string]any {
	t.Helper()
	ctx := context.Background()
	s, err := c.GetDeliverySource(ctx, &cwl.GetDeliverySourceInput{Name: aws.String(src)})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := c.GetDeliveryDestination(ctx, &cwl.GetDeliveryDestinationInput{Name: aws.String(dst)})
	if err != nil {
		t.Fatal(err)
	}
	pol, err := c.GetDeliveryDestinationPolicy(ctx, &cwl.GetDeliveryDestinationPolicyInput{DeliveryDestinationName: aws.String(dst)})
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.GetDelivery(ctx, &cwl.GetDeliveryInput{Id: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]any{
		"source": s.DeliverySource, "sourceTags": listTags(t, c, *s.DeliverySource.Arn),
		"destination": ds.DeliveryDestination, "policy": pol.Policy,
		"delivery": d.Delivery, "deliveryTags": listTags(t, c, *d.Delivery.Arn),
	}
}
