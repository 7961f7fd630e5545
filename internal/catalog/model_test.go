package catalog

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"regexp"
	"testing"
)

// modelPath is the AWS service model (botocore service-2.json), relative to
// this package directory. It is read only, never copied into the project.
const modelPath = "../../../shared/spec/service-2.json"

// displayToService maps the product names used in the model's
// PutDeliverySource logType documentation to the service namespace and the
// resource types the catalogue uses for them.
var displayToService = map[string]struct {
	service       string
	resourceTypes []string
}{
	"Application Load Balancer":             {"elasticloadbalancing", []string{"loadbalancer-app"}},
	"Network Load Balancer":                 {"elasticloadbalancing", []string{"loadbalancer-net"}},
	"Amazon Bedrock Agents":                 {"bedrock", []string{"agent"}},
	"Amazon Bedrock Knowledge Bases":        {"bedrock", []string{"knowledge-base"}},
	"Amazon Bedrock AgentCore Runtime":      {"bedrock-agentcore", []string{"runtime"}},
	"Amazon Bedrock AgentCore Tools":        {"bedrock-agentcore", []string{"code-interpreter", "browser"}},
	"Amazon Bedrock AgentCore Identity":     {"bedrock-agentcore", []string{"workload-identity"}},
	"Amazon Bedrock AgentCore Memory":       {"bedrock-agentcore", []string{"memory"}},
	"Amazon Bedrock AgentCore Gateway":      {"bedrock-agentcore", []string{"gateway"}},
	"Amazon Bedrock AgentCore Payments":     {"bedrock-agentcore", []string{"payment-manager"}},
	"CloudFront":                            {"cloudfront", []string{"distribution"}},
	"DevOps Agent":                          {"aidevops", []string{"agentspace"}},
	"Amazon CodeWhisperer":                  {"codewhisperer", []string{"profile"}},
	"Elemental MediaPackage":                {"mediapackagev2", []string{"channel-group"}},
	"Elemental MediaTailor":                 {"mediatailor", []string{"playback-configuration"}},
	"Amazon EKS Auto Mode":                  {"eks", []string{"cluster"}},
	"Amazon EKS Capability Logs":            {"eks", []string{"capability"}},
	"Entity Resolution":                     {"entityresolution", []string{"matching-workflow"}},
	"IAM Identity Center":                   {"sso", []string{"instance"}},
	"Network Firewall Proxy":                {"network-firewall", []string{"proxy"}},
	"PCS":                                   {"pcs", []string{"cluster"}},
	"Quick":                                 {"quicksight", []string{"account"}},
	"Amazon Web Services RTB Fabric":        {"rtbfabric", []string{"gateway"}},
	"Amazon Q":                              {"qbusiness", []string{"application"}},
	"Amazon S3":                             {"s3", []string{"bucket"}},
	"Amazon Web Services Security Hub CSPM": {"securityhub", []string{"hub"}},
	"Amazon Web Services Security Hub":      {"securityhub", []string{"hubv2"}},
	"Amazon SES mail manager":               {"ses", []string{"mailmanager-ingress-point"}},
	"Amazon WorkMail":                       {"workmail", []string{"organization"}},
	"Amazon VPC Route Server":               {"ec2", []string{"route-server"}},
}

var (
	reListItem = regexp.MustCompile(`<li>\s*<p>(.*?)</p>\s*</li>`)
	reItemName = regexp.MustCompile(`^For (.+?), the valid value`)
	reCode     = regexp.MustCompile(`<code>(\w+)</code>`)
)

// TestCatalogCoversModel cross-checks the catalogue against the model's
// PutDeliverySource logType documentation: every logType listed must exist
// for some service, and, for the products we know, for the mapped
// (service, resourceType) with S3/CWL/FH templates (XRAY for TRACES).
func TestCatalogCoversModel(t *testing.T) {
	data, err := os.ReadFile(modelPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s not present", modelPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	var model struct {
		Shapes map[string]struct {
			Members map[string]struct {
				Documentation string `json:"documentation"`
			} `json:"members"`
		} `json:"shapes"`
	}
	if err := json.Unmarshal(data, &model); err != nil {
		t.Fatal(err)
	}
	doc := model.Shapes["PutDeliverySourceRequest"].Members["logType"].Documentation
	items := reListItem.FindAllStringSubmatch(doc, -1)
	if len(items) == 0 {
		t.Fatal("no list items in PutDeliverySource logType documentation")
	}
	c := mustLoad(t)
	allLogTypes := map[string]bool{}
	for _, lts := range c.logTypes {
		for _, lt := range lts {
			allLogTypes[lt] = true
		}
	}
	pairs := 0
	for _, it := range items {
		text := it[1]
		codes := reCode.FindAllStringSubmatch(text, -1)
		if len(codes) == 0 {
			t.Errorf("list item without log types: %q", text)
			continue
		}
		name := ""
		if m := reItemName.FindStringSubmatch(text); m != nil {
			name = m[1]
		}
		for _, code := range codes {
			lt := code[1]
			pairs++
			if !allLogTypes[lt] {
				t.Errorf("%s: logType %s appears for no service in the catalogue", name, lt)
			}
			m, known := displayToService[name]
			if !known {
				t.Errorf("product %q (logType %s) is not mapped in displayToService; extend the catalogue and the map", name, lt)
				continue
			}
			if !c.SupportsLogType(m.service, lt) {
				t.Errorf("%s: (%s, %s) missing from the catalogue", name, m.service, lt)
				continue
			}
			dests := []string{DestS3, DestCWL, DestFH}
			if lt == "TRACES" {
				dests = []string{DestXRay}
			}
			for _, rt := range m.resourceTypes {
				for _, d := range dests {
					if _, ok := c.Lookup(m.service, lt, rt, d); !ok {
						t.Errorf("%s: no template (%s, %s, %s, %s)", name, m.service, lt, rt, d)
					}
				}
			}
		}
	}
	t.Logf("checked %d (product, logType) pairs from %d list items", pairs, len(items))
}
