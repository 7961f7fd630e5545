package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
)

func TestSmoke(t *testing.T) {
	c := client(server(t), acct, region)
	out, err := c.PutDeliverySource(ctx, &cwl.PutDeliverySourceInput{
		Name: aws.String("src"), ResourceArn: aws.String("arn:aws:cloudfront::111111111111:distribution/E1Q5F5862X9VJ5"),
		LogType: aws.String("ACCESS_LOGS"), Tags: map[string]string{"key1": "value1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", *out.DeliverySource)
}
