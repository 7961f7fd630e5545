package catalog

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func mustLoad(t testing.TB) *Catalog {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

var cloudFrontDefaultFields = []string{
	"date", "time", "x-edge-location", "sc-bytes", "c-ip", "cs-method", "cs(Host)", "cs-uri-stem",
	"sc-status", "cs(Referer)", "cs(User-Agent)", "cs-uri-query", "cs(Cookie)", "x-edge-result-type",
	"x-edge-request-id", "x-host-header", "cs-protocol", "cs-bytes", "time-taken", "x-forwarded-for",
	"ssl-protocol", "ssl-cipher", "x-edge-response-result-type", "cs-protocol-version", "fle-status",
	"fle-encrypted-fields", "c-port", "time-to-first-byte", "x-edge-detailed-result-type",
	"sc-content-type", "sc-content-len", "sc-range-start", "sc-range-end",
}

func TestLoad(t *testing.T) {
	c := mustLoad(t)
	c2, err := Load()
	if err != nil || c2 != c {
		t.Fatalf("second Load = %p, %v; want the same catalogue %p", c2, err, c)
	}
	ts := c.Templates()
	if len(ts) != 197 {
		t.Errorf("templates = %d, want 197", len(ts))
	}
	if len(c.logTypes) != 21 {
		t.Errorf("services = %d, want 21", len(c.logTypes))
	}
	for i, tp := range ts {
		if tp.Source == "" || (tp.Certainty != "documented" && tp.Certainty != "inferred") {
			t.Errorf("template %d %s/%s lacks provenance", i, tp.Service, tp.LogType)
		}
		if i > 0 && compareTemplates(ts[i-1], tp) >= 0 {
			t.Errorf("templates not strictly ordered at %d: %v / %v", i, key(ts[i-1]), key(tp))
		}
		if tp.DestinationType != DestS3 && tp.Defaults.S3 != nil {
			t.Errorf("%v: S3 defaults on non-S3 template", key(tp))
		}
		if tp.LogType == "TRACES" && tp.DestinationType != DestXRay {
			t.Errorf("%v: TRACES must go to XRAY only", key(tp))
		}
		if slices.Contains(tp.AllowedOutputFormats, "parquet") && tp.DestinationType != DestS3 {
			t.Errorf("%v: parquet outside S3", key(tp))
		}
		// Every template's (service, resourceType) is reachable from some ARN.
		if _, ok := c.Lookup(tp.Service, tp.LogType, tp.ResourceType, tp.DestinationType); !ok {
			t.Errorf("%v: Lookup failed", key(tp))
		}
	}
	// Templates returns a fresh slice.
	ts[0].Service = "mutated"
	if c.Templates()[0].Service == "mutated" {
		t.Error("Templates shares its outer slice")
	}
}

func key(t Template) string {
	return t.Service + "/" + t.LogType + "/" + t.ResourceType + "/" + t.DestinationType
}

func TestCloudFrontAccessLogsS3Defaults(t *testing.T) {
	c := mustLoad(t)
	tp, ok := c.Lookup("cloudfront", "ACCESS_LOGS", "distribution", "S3")
	if !ok {
		t.Fatal("CloudFront ACCESS_LOGS -> S3 template missing")
	}
	if !slices.Equal(tp.Defaults.RecordFields, cloudFrontDefaultFields) {
		t.Errorf("default recordFields =\n%q\nwant\n%q", tp.Defaults.RecordFields, cloudFrontDefaultFields)
	}
	if len(tp.Defaults.RecordFields) != 33 {
		t.Errorf("default recordFields: %d, want 33", len(tp.Defaults.RecordFields))
	}
	if tp.Defaults.S3 == nil || *tp.Defaults.S3 != (S3Config{SuffixPath: "AWSLogs/{account-id}/CloudFront/", EnableHiveCompatiblePath: false}) {
		t.Errorf("default S3 config = %+v", tp.Defaults.S3)
	}
	if tp.Defaults.FieldDelimiter == nil || *tp.Defaults.FieldDelimiter != "" {
		t.Errorf("default fieldDelimiter = %v, want \"\"", tp.Defaults.FieldDelimiter)
	}
	if tp.AllowedAction != "cloudfront:AllowVendedLogDeliveryForResource" {
		t.Errorf("allowed action = %q", tp.AllowedAction)
	}
	if tp.Certainty != "documented" {
		t.Errorf("certainty = %q", tp.Certainty)
	}
	// resourceType "" matches too.
	if tp2, ok := c.Lookup("cloudfront", "ACCESS_LOGS", "", "S3"); !ok || key(tp2) != key(tp) {
		t.Errorf("Lookup with empty resourceType = %v, %v", key(tp2), ok)
	}
}

func TestResolveResource(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		name, arn, service, resourceType string
		ok                               bool
	}{
		{"cloudfront distribution", "arn:aws:cloudfront::123456789012:distribution/E1TR1RHV123ABC", "cloudfront", "distribution", true},
		{"alb", "arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/app/my-lb/0123456789abcdef", "elasticloadbalancing", "loadbalancer-app", true},
		{"nlb", "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/my-nlb/0123456789abcdef", "elasticloadbalancing", "loadbalancer-net", true},
		{"elb target group is no source", "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/my-tg/0123456789abcdef", "", "", false},
		{"security hub wildcard hub", "arn:aws:securityhub:us-east-1:123456789012:hub/*", "securityhub", "hub", true},
		{"security hub v2 wildcard hub", "arn:aws:securityhub:us-east-1:123456789012:hubv2/*", "securityhub", "hubv2", true},
		{"workmail organization", "arn:aws:workmail:us-east-1:123456789012:organization/m-1234EXAMPLEabcd1234abcd1234abcd1234", "workmail", "organization", true},
		{"bedrock agent", "arn:aws:bedrock:us-east-1:111122223333:agent/ABCDEFGHIJ", "bedrock", "agent", true},
		{"bedrock knowledge base", "arn:aws:bedrock:us-east-1:111122223333:knowledge-base/ABCDEFGHIJ", "bedrock", "knowledge-base", true},
		{"identity center instance", "arn:aws:sso:::instance/ssoins-1234567890abcdef", "sso", "instance", true},
		{"s3 bucket (S3_SERVER_ACCESS_LOGS source)", "arn:aws:s3:::test-s3-bucket", "s3", "bucket", true},
		{"s3 object is no source", "arn:aws:s3:::test-s3-bucket/key", "", "", false},
		{"gov partition", "arn:aws-us-gov:cloudfront::123456789012:distribution/E1TR1RHV123ABC", "cloudfront", "distribution", true},
		{"agentcore runtime", "arn:aws:bedrock-agentcore:us-east-1:111122223333:runtime/my_agent-AbCdEf1234", "bedrock-agentcore", "runtime", true},
		{"route server", "arn:aws:ec2:us-east-1:111122223333:route-server/rs-0123456789abcdef0", "ec2", "route-server", true},
		{"unsupported service", "arn:aws:dynamodb:us-east-1:111122223333:table/t", "", "", false},
		{"log group is no source", "arn:aws:logs:us-east-1:111122223333:log-group:g", "", "", false},
		{"not an arn", "cloudfront:distribution/E1", "", "", false},
		{"empty", "", "", "", false},
		{"truncated", "arn:aws", "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, rt, ok := c.ResolveResource(tc.arn)
			if s != tc.service || rt != tc.resourceType || ok != tc.ok {
				t.Errorf("ResolveResource(%q) = (%q, %q, %v), want (%q, %q, %v)", tc.arn, s, rt, ok, tc.service, tc.resourceType, tc.ok)
			}
		})
	}
	// The recorded AWS case: an S3 bucket with ACCESS_LOGS is refused
	// ("Cannot access provided service."); the bucket resolves, but the pair
	// is not supported.
	if c.SupportsLogType("s3", "ACCESS_LOGS") {
		t.Error("s3 must not support ACCESS_LOGS")
	}
	if !c.SupportsLogType("s3", "S3_SERVER_ACCESS_LOGS") {
		t.Error("s3 must support S3_SERVER_ACCESS_LOGS")
	}
}

func TestDestinationType(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		arn, want string
		ok        bool
	}{
		{"arn:aws:s3:::my-bucket", "S3", true},
		{"arn:aws:s3:::my-bucket/some/prefix", "S3", true},
		{"arn:aws:s3:::my.bucket.example/", "S3", true},
		{"arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/my-group", "CWL", true},
		{"arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/my-group:*", "CWL", true},
		{"arn:aws:firehose:us-east-1:123456789012:deliverystream/my-stream", "FH", true},
		{"arn:aws:s3:::*", "", false},
		{"arn:aws:s3:::", "", false},
		{"arn:aws:logs:us-east-1:123456789012:log-group:", "", false},
		{"arn:aws:logs:us-east-1:123456789012:destination:d", "", false},
		{"arn:aws:kinesis:us-east-1:123456789012:stream/s", "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		got, ok := c.DestinationType(tc.arn)
		if got != tc.want || ok != tc.ok {
			t.Errorf("DestinationType(%q) = (%q, %v), want (%q, %v)", tc.arn, got, ok, tc.want, tc.ok)
		}
	}
}

func TestFilter(t *testing.T) {
	c := mustLoad(t)
	all := len(c.Templates())
	tests := []struct {
		name                string
		service             string
		logTypes, rts, dsts []string
		want                int
		check               func(Template) bool
	}{
		{"no filter", "", nil, nil, nil, all, nil},
		{"cloudfront", "cloudfront", nil, nil, nil, 6, func(t Template) bool { return t.Service == "cloudfront" }},
		{"cloudfront access logs", "cloudfront", []string{"ACCESS_LOGS"}, nil, nil, 3, nil},
		{"cloudfront access logs to S3", "cloudfront", []string{"ACCESS_LOGS"}, nil, []string{"S3"}, 1, nil},
		{"cloudfront to S3 or FH", "cloudfront", []string{"ACCESS_LOGS"}, []string{"distribution"}, []string{"S3", "FH"}, 2, nil},
		{"unknown service", "nosuch", nil, nil, nil, 0, nil},
		{"service mismatching log type", "cloudfront", []string{"TRACES"}, nil, nil, 0, nil},
		{"all XRAY", "", nil, nil, []string{"XRAY"}, 8, func(t Template) bool { return t.LogType == "TRACES" }},
		{"TRACES anywhere", "", []string{"TRACES"}, nil, nil, 8, func(t Template) bool { return t.DestinationType == "XRAY" }},
		{"elb by resource type", "elasticloadbalancing", nil, []string{"loadbalancer-net"}, nil, 3, func(t Template) bool { return t.LogType == "NLB_ACCESS_LOGS" }},
		{"bedrock APPLICATION_LOGS any resource", "bedrock", []string{"APPLICATION_LOGS"}, nil, []string{"CWL"}, 2, nil},
		{"two log types any of", "workmail", []string{"ACCESS_CONTROL_LOGS", "AUTHENTICATION_LOGS"}, nil, []string{"S3"}, 2, nil},
		{"resource type alone", "", nil, []string{"hub", "hubv2"}, nil, 6, func(t Template) bool { return t.Service == "securityhub" }},
		{"case sensitive", "CloudFront", nil, nil, nil, 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := c.Filter(tc.service, tc.logTypes, tc.rts, tc.dsts)
			if got == nil {
				t.Fatal("Filter returned nil")
			}
			if len(got) != tc.want {
				t.Fatalf("got %d templates, want %d", len(got), tc.want)
			}
			for i, tp := range got {
				if tc.check != nil && !tc.check(tp) {
					t.Errorf("unexpected template %v", key(tp))
				}
				if i > 0 && compareTemplates(got[i-1], tp) >= 0 {
					t.Errorf("unordered result at %d", i)
				}
			}
		})
	}
	got := c.Filter("cloudfront", []string{"ACCESS_LOGS"}, nil, nil)
	var dsts []string
	for _, tp := range got {
		dsts = append(dsts, tp.DestinationType)
	}
	if !slices.Equal(dsts, []string{"S3", "CWL", "FH"}) {
		t.Errorf("destination order = %v, want [S3 CWL FH]", dsts)
	}
}

func TestLookupAndLogTypes(t *testing.T) {
	c := mustLoad(t)
	lookups := []struct {
		service, logType, rt, dst string
		ok                        bool
		wantRT                    string
	}{
		{"cloudfront", "ACCESS_LOGS", "distribution", "CWL", true, "distribution"},
		{"cloudfront", "ACCESS_LOGS", "distribution", "XRAY", false, ""},
		{"bedrock", "TRACES", "", "XRAY", true, "knowledge-base"},
		{"bedrock", "TRACES", "agent", "XRAY", false, ""},
		{"bedrock", "APPLICATION_LOGS", "", "S3", true, "agent"}, // smallest resourceType wins
		{"bedrock-agentcore", "USAGE_LOGS", "memory", "CWL", false, ""},
		{"elasticloadbalancing", "ALB_ACCESS_LOGS", "loadbalancer-net", "S3", false, ""},
		{"s3", "S3_SERVER_ACCESS_LOGS", "bucket", "S3", true, "bucket"},
		{"nosuch", "ACCESS_LOGS", "", "S3", false, ""},
	}
	for _, l := range lookups {
		tp, ok := c.Lookup(l.service, l.logType, l.rt, l.dst)
		if ok != l.ok || (ok && tp.ResourceType != l.wantRT) {
			t.Errorf("Lookup(%q,%q,%q,%q) = %v, %v", l.service, l.logType, l.rt, l.dst, key(tp), ok)
		}
	}
	if got := c.LogTypes("elasticloadbalancing"); !slices.Equal(got, []string{"ALB_ACCESS_LOGS", "ALB_CONNECTION_LOGS", "ALB_HEALTH_CHECK_LOGS", "NLB_ACCESS_LOGS"}) {
		t.Errorf("LogTypes(elb) = %v", got)
	}
	if got := c.LogTypes("bedrock-agentcore"); !slices.Equal(got, []string{"APPLICATION_LOGS", "TRACES", "USAGE_LOGS"}) {
		t.Errorf("LogTypes(agentcore) = %v", got)
	}
	if got := c.LogTypes("nosuch"); got != nil {
		t.Errorf("LogTypes(nosuch) = %v, want nil", got)
	}
	for s, lts := range c.logTypes {
		if !slices.IsSorted(lts) {
			t.Errorf("LogTypes(%s) unsorted", s)
		}
	}
	if got := c.OutputFormats("S3"); !slices.Equal(got, []string{"json", "plain", "w3c", "parquet"}) {
		t.Errorf("OutputFormats(S3) = %v", got)
	}
	if got := c.OutputFormats("CWL"); !slices.Equal(got, []string{"plain", "json"}) {
		t.Errorf("OutputFormats(CWL) = %v", got)
	}
	if got := c.OutputFormats("FH"); !slices.Equal(got, []string{"json", "plain", "raw"}) {
		t.Errorf("OutputFormats(FH) = %v", got)
	}
	if got := c.OutputFormats("XRAY"); len(got) != 0 {
		t.Errorf("OutputFormats(XRAY) = %v", got)
	}
	hive := map[string]string{"{yyyy}": "year", "{MM}": "month", "{dd}": "day", "{HH}": "hour", "{account-id}": "aws-account-id", "{region}": "region", "{DistributionId}": "DistributionId"}
	for v, want := range hive {
		if got, ok := c.HiveKey(v); !ok || got != want {
			t.Errorf("HiveKey(%q) = %q, %v; want %q", v, got, ok, want)
		}
	}
	if _, ok := c.HiveKey("{nosuch}"); ok {
		t.Error("HiveKey({nosuch}) ok")
	}
}

func TestCheckRecordFields(t *testing.T) {
	c := mustLoad(t)
	cf, _ := c.Lookup("cloudfront", "ACCESS_LOGS", "distribution", "S3")
	generic, _ := c.Lookup("workmail", "AUTHENTICATION_LOGS", "organization", "CWL")
	withMandatory := Template{AllowedFields: []Field{{Name: "a", Mandatory: true}, {Name: "b"}}}
	tests := []struct {
		name   string
		t      Template
		fields []string
		want   string
	}{
		{"cloudfront defaults", cf, cloudFrontDefaultFields, ""},
		{"cloudfront subset reordered", cf, []string{"time", "date", "c-country", "DistributionId"}, ""},
		{"cloudfront empty", cf, nil, ""},
		{"cloudfront unknown", cf, []string{"date", "foo"}, "Invalid recordFields: unknown field 'foo'"},
		{"cloudfront case matters", cf, []string{"Date"}, "Invalid recordFields: unknown field 'Date'"},
		{"cloudfront duplicate", cf, []string{"date", "time", "date"}, "Invalid recordFields: duplicate field 'date'"},
		{"empty name", cf, []string{""}, "Invalid recordFields: empty field name"},
		{"generic accepts anything", generic, []string{"whatever", "else"}, ""},
		{"generic refuses duplicates", generic, []string{"x", "x"}, "Invalid recordFields: duplicate field 'x'"},
		{"mandatory present", withMandatory, []string{"b", "a"}, ""},
		{"mandatory missing", withMandatory, []string{"b"}, "Invalid recordFields: mandatory field 'a' is missing"},
		{"mandatory missing on empty", withMandatory, nil, "Invalid recordFields: mandatory field 'a' is missing"},
	}
	for _, tc := range tests {
		if got := tc.t.CheckRecordFields(tc.fields); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestCheckFieldDelimiter(t *testing.T) {
	c := mustLoad(t)
	cf, _ := c.Lookup("cloudfront", "ACCESS_LOGS", "distribution", "S3")
	generic, _ := c.Lookup("pcs", "PCS_SCHEDULER_LOGS", "cluster", "S3")
	tests := []struct {
		name string
		t    Template
		d    string
		want string
	}{
		{"empty always allowed", cf, "", ""},
		{"tab", cf, "\t", ""},
		{"space", cf, " ", ""},
		{"comma", cf, ",", ""},
		{"pipe refused", cf, "|", `Invalid fieldDelimiter "|": allowed values are "\t", " ", ","`},
		{"generic accepts anything", generic, "|", ""},
	}
	for _, tc := range tests {
		if got := tc.t.CheckFieldDelimiter(tc.d); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestCheckSuffixPath(t *testing.T) {
	c := mustLoad(t)
	cf, _ := c.Lookup("cloudfront", "ACCESS_LOGS", "distribution", "S3")
	alb, _ := c.Lookup("elasticloadbalancing", "ALB_ACCESS_LOGS", "loadbalancer-app", "S3")
	generic, _ := c.Lookup("bedrock", "APPLICATION_LOGS", "agent", "S3")
	const bad = "Provided suffixPath is invalid"
	tests := []struct {
		name string
		t    Template
		p    string
		want string
	}{
		{"empty", cf, "", ""},
		{"cloudfront default", cf, "AWSLogs/{account-id}/CloudFront/", ""},
		{"cloudfront vars", cf, "/cloudfront/{DistributionId}/{yyyy}/{MM}/{dd}/{HH}", ""},
		{"cloudfront lower-case distribution id", cf, "x/{distributionid}/{accountid}", ""},
		{"cloudfront static", cf, "myFolderA/", ""},
		{"cloudfront region not allowed", cf, "x/{region}/", bad},
		{"cloudfront unknown var", cf, "x/{foo}/", bad},
		{"var case matters", cf, "{mm}", bad},
		{"unbalanced open", cf, "x/{yyyy", bad},
		{"unbalanced close", cf, "x/yyyy}", bad},
		{"empty var", cf, "x/{}/", bad},
		{"nested", cf, "x/{{yyyy}}/", bad},
		{"space in var", cf, "x/{yy yy}/", bad},
		{"alb region", alb, "AWSLogs/{account-id}/elasticloadbalancing/{region}/{yyyy}/{MM}/{dd}/", ""},
		{"alb distribution id refused", alb, "{DistributionId}", bad},
		{"generic any well-formed var", generic, "logs/{anything}/{yyyy}", ""},
		{"generic still checks syntax", generic, "logs/{yyyy", bad},
	}
	for _, tc := range tests {
		if got := tc.t.CheckSuffixPath(tc.p); got != tc.want {
			t.Errorf("%s: CheckSuffixPath(%q) = %q, want %q", tc.name, tc.p, got, tc.want)
		}
	}
	hive := []struct {
		p    string
		on   bool
		want string
	}{
		{"cloudfront/year={yyyy}/", true, bad},
		{"cloudfront/year={yyyy}/", false, ""},
		{"cloudfront/{yyyy}/", true, ""},
		{"cloudfront/{bad", false, bad},
	}
	for _, h := range hive {
		if got := cf.CheckS3DeliveryConfiguration(h.p, h.on); got != h.want {
			t.Errorf("CheckS3DeliveryConfiguration(%q, %v) = %q, want %q", h.p, h.on, got, h.want)
		}
	}
	// A Template built by hand still accepts {account-id}.
	if got := (Template{AllowedSuffixPathFields: []string{"{yyyy}"}}).CheckSuffixPath("{account-id}/{yyyy}"); got != "" {
		t.Errorf("hand-built template: %q", got)
	}
}

func TestWireJSON(t *testing.T) {
	c := mustLoad(t)
	cf, _ := c.Lookup("cloudfront", "ACCESS_LOGS", "distribution", "S3")
	b, err := json.Marshal(cf)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"service", "logType", "resourceType", "deliveryDestinationType", "defaultDeliveryConfigValues", "allowedFields", "allowedOutputFormats", "allowedActionForAllowVendedLogsDeliveryForResource", "allowedFieldDelimiters", "allowedSuffixPathFields"} {
		if _, ok := m[k]; !ok {
			t.Errorf("wire JSON lacks %q", k)
		}
	}
	for _, k := range []string{"source", "certainty", "notes", "Source", "Certainty", "Notes", "deliverySourceConfiguration", "s3TablesIntegration"} {
		if _, ok := m[k]; ok {
			t.Errorf("wire JSON has %q", k)
		}
	}
	d := m["defaultDeliveryConfigValues"].(map[string]any)
	if s3 := d["s3DeliveryConfiguration"].(map[string]any); s3["suffixPath"] != "AWSLogs/{account-id}/CloudFront/" || s3["enableHiveCompatiblePath"] != false {
		t.Errorf("wire s3DeliveryConfiguration = %v", s3)
	}
	if d["fieldDelimiter"] != "" {
		t.Errorf("wire fieldDelimiter = %v", d["fieldDelimiter"])
	}
	x, _ := c.Lookup("bedrock", "TRACES", "knowledge-base", "XRAY")
	b, _ = json.Marshal(x)
	if s := string(b); strings.Contains(s, "defaultDeliveryConfigValues") || strings.Contains(s, "allowedOutputFormats") {
		t.Errorf("XRAY wire JSON = %s", s)
	}
}

// mutate returns the embedded data with f applied to its decoded form.
func mutate(t *testing.T, f func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(embedded, &m); err != nil {
		t.Fatal(err)
	}
	f(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func templatesOf(m map[string]any) []any { return m["configurationTemplates"].([]any) }
func tmpl(m map[string]any, i int) map[string]any {
	return templatesOf(m)[i].(map[string]any)
}

func TestParseRejects(t *testing.T) {
	if _, err := parse(embedded); err != nil {
		t.Fatalf("embedded data: %v", err)
	}
	tests := []struct {
		name string
		f    func(m map[string]any)
		want string
	}{
		{"unknown destination type", func(m map[string]any) { tmpl(m, 0)["deliveryDestinationType"] = "KINESIS" }, "unknown destination type"},
		{"duplicate key", func(m map[string]any) {
			m["configurationTemplates"] = append(templatesOf(m), templatesOf(m)[0])
		}, "duplicate key"},
		{"bad resource regexp", func(m map[string]any) {
			m["resourceArnPatterns"].([]any)[0].(map[string]any)["pattern"] = "^arn:aws:(cloudfront$"
		}, "resourceArnPatterns[0]"},
		{"bad destination regexp", func(m map[string]any) {
			m["destinationArnPatterns"].([]any)[0].(map[string]any)["pattern"] = "^arn:aws:s3:::[a-$"
		}, "destinationArnPatterns[0]"},
		{"unknown destination in patterns", func(m map[string]any) {
			m["destinationArnPatterns"].([]any)[0].(map[string]any)["deliveryDestinationType"] = "SQS"
		}, "unknown destination type"},
		{"example does not resolve", func(m map[string]any) {
			m["resourceArnPatterns"].([]any)[0].(map[string]any)["example"] = "arn:aws:cloudfront::123456789012:function/x"
		}, "resolves to"},
		{"unknown json member", func(m map[string]any) { tmpl(m, 0)["allowedFieldz"] = []any{} }, "unknown field"},
		{"traces to S3", func(m map[string]any) {
			for _, x := range templatesOf(m) {
				if x.(map[string]any)["logType"] == "TRACES" {
					x.(map[string]any)["deliveryDestinationType"] = "S3"
					break
				}
			}
		}, "TRACES"},
		{"parquet for CWL", func(m map[string]any) {
			for _, x := range templatesOf(m) {
				if x.(map[string]any)["deliveryDestinationType"] == "CWL" {
					x.(map[string]any)["allowedOutputFormats"] = []any{"parquet"}
					break
				}
			}
		}, "parquet"},
		{"default field not allowed", func(m map[string]any) {
			d := tmpl(m, 0)["defaultDeliveryConfigValues"].(map[string]any)
			d["recordFields"] = append(d["recordFields"].([]any), "nosuch")
		}, "unknown field 'nosuch'"},
		{"default suffix invalid", func(m map[string]any) {
			d := tmpl(m, 0)["defaultDeliveryConfigValues"].(map[string]any)
			d["s3DeliveryConfiguration"].(map[string]any)["suffixPath"] = "x/{nosuch}"
		}, "default suffixPath"},
		{"resource type without pattern", func(m map[string]any) { tmpl(m, 0)["resourceType"] = "function" }, "no resourceArnPattern"},
		{"resourceType with slash", func(m map[string]any) { tmpl(m, 0)["resourceType"] = "loadbalancer/app" }, "model pattern"},
		{"missing provenance", func(m map[string]any) { tmpl(m, 0)["source"] = "" }, "missing source"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parse(mutate(t, tc.f))
			if err == nil {
				t.Fatal("parse accepted bad data")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestRequestPathDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are unreliable under -race")
	}
	c := mustLoad(t)
	cf, _ := c.Lookup("cloudfront", "ACCESS_LOGS", "distribution", "S3")
	fns := map[string]func(){
		"ResolveResource": func() {
			c.ResolveResource("arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/app/my-lb/0123456789abcdef")
		},
		"ResolveResource miss": func() { c.ResolveResource("arn:aws:dynamodb:us-east-1:111122223333:table/t") },
		"Lookup":               func() { c.Lookup("cloudfront", "ACCESS_LOGS", "distribution", "S3") },
		"Lookup any":           func() { c.Lookup("bedrock", "APPLICATION_LOGS", "", "CWL") },
		"DestinationType": func() {
			c.DestinationType("arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/my-group:*")
		},
		"SupportsLogType":   func() { c.SupportsLogType("workmail", "AUTHENTICATION_LOGS") },
		"HiveKey":           func() { c.HiveKey("{yyyy}") },
		"LogTypes":          func() { c.LogTypes("eks") },
		"CheckRecordFields": func() { cf.CheckRecordFields(cloudFrontDefaultFields) },
		"CheckSuffixPath":   func() { cf.CheckSuffixPath("AWSLogs/{account-id}/CloudFront/{DistributionId}/{yyyy}/{MM}/") },
	}
	for name, f := range fns {
		if n := testing.AllocsPerRun(200, f); n != 0 {
			t.Errorf("%s allocates %.1f times per call", name, n)
		}
	}
}

func BenchmarkResolveResource(b *testing.B) {
	c := mustLoad(b)
	arns := []string{
		"arn:aws:cloudfront::123456789012:distribution/E1TR1RHV123ABC",
		"arn:aws:elasticloadbalancing:us-west-2:111122223333:loadbalancer/net/my-nlb/0123456789abcdef",
		"arn:aws:bedrock-agentcore:us-east-1:111122223333:workload-identity-directory/default/workload-identity/my-agent",
		"arn:aws:securityhub:us-east-1:123456789012:hub/*",
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, _, ok := c.ResolveResource(arns[i%len(arns)]); !ok {
			b.Fatal("not resolved")
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	c := mustLoad(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		rt := "distribution"
		if i%2 == 1 {
			rt = ""
		}
		if _, ok := c.Lookup("cloudfront", "ACCESS_LOGS", rt, "S3"); !ok {
			b.Fatal("not found")
		}
	}
}

func BenchmarkDestinationType(b *testing.B) {
	c := mustLoad(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := c.DestinationType("arn:aws:firehose:us-east-1:123456789012:deliverystream/my-stream"); !ok {
			b.Fatal("no match")
		}
	}
}
