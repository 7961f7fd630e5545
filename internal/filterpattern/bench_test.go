package filterpattern

import "testing"

// BenchmarkMatch measures one Match per iteration; run with -benchmem:
// Match runs on every event a FilterLogEvents request scans.
func BenchmarkMatch(b *testing.B) {
	cloudTrail := `{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::123456789012:user/alice","accountId":"123456789012","userName":"alice"},"eventTime":"2024-05-01T12:00:00Z","eventSource":"cloudtrail.amazonaws.com","eventName":"UpdateTrail","awsRegion":"us-east-1","sourceIPAddress":"111.111.111.111","userAgent":"aws-cli/2.15.0","requestParameters":{"name":"trail","isMultiRegionTrail":true},"responseElements":null,"errorCode":400,"readOnly":false,"resources":[{"type":"AWS::CloudTrail::Trail","ARN":"arn:aws:cloudtrail:us-east-1:123456789012:trail/trail"}]}`
	for _, bc := range []struct{ name, pattern, message string }{
		{"terms", `ERROR -DEBUG "request failed"`, "2024-05-01T12:00:00Z [ERROR] worker-7 request failed after 3 retries: upstream timeout (code=504)"},
		{"terms-miss", `ERROR -DEBUG "request failed"`, "2024-05-01T12:00:00Z [INFO] worker-7 request served in 12ms for tenant 42 with cache hit ratio 0.93"},
		{"json", `{ $.eventName = "UpdateTrail" && $.errorCode >= 400 }`, cloudTrail},
		{"json-wildcard", `{ $.resources[*].type = "AWS::CloudTrail::*" || $.userIdentity.userName = bob }`, cloudTrail},
		{"json-not-json", `{ $.eventName = "UpdateTrail" }`, "2024-05-01T12:00:00Z [INFO] not a JSON message at all"},
		{"delimited", `[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes > 1000]`, A4},
		{"delimited-ellipsis", `[..., status_code = 404 || status_code = 410, bytes]`, A4},
		{"regex", `%ERROR \d{3}%`, U5},
	} {
		p, err := Parse(bc.pattern)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.message)))
			for b.Loop() {
				p.Match(bc.message)
			}
		})
	}
}
