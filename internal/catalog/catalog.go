// Package catalog is cwlogd's static catalogue of vended-log delivery
// configuration templates (what DescribeConfigurationTemplates returns), the
// resource-ARN patterns that map a delivery source's resourceArn to its
// (service, resourceType), the destination-ARN patterns that derive a delivery
// destination's type, and the validation helpers CreateDelivery and
// UpdateDeliveryConfiguration apply to recordFields, fieldDelimiter and
// s3DeliveryConfiguration.
//
// The data lives in templates.json (embedded). Each template and pattern keeps
// its provenance (source, certainty, notes); see the file's _about and _changes.
//
// Everything returned by a Catalog shares the catalogue's read-only backing
// storage: callers must not modify slices inside returned values (slices are
// capacity-clipped, so append copies). The catalogue itself never changes
// after Load, so a *Catalog is safe for concurrent use.
//
// It imports nothing from the project.
package catalog

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
)

//go:embed templates.json
var embedded []byte

// Destination types, in the order Templates sorts them.
const (
	DestS3   = "S3"
	DestCWL  = "CWL"
	DestFH   = "FH"
	DestXRay = "XRAY"
)

// Field is one allowed record field of a template.
type Field struct {
	Name      string `json:"name"`
	Mandatory bool   `json:"mandatory"`
}

// S3Config is a template's default s3DeliveryConfiguration.
type S3Config struct {
	SuffixPath               string `json:"suffixPath"`
	EnableHiveCompatiblePath bool   `json:"enableHiveCompatiblePath"`
}

// Defaults is a template's defaultDeliveryConfigValues.
type Defaults struct {
	RecordFields   []string  `json:"recordFields,omitempty"`            // nil when the template gives none
	FieldDelimiter *string   `json:"fieldDelimiter,omitempty"`          // nil when the template gives none
	S3             *S3Config `json:"s3DeliveryConfiguration,omitempty"` // nil unless destination S3 (and the template gives one)
}

// SourceConfigSchema is one deliverySourceConfiguration schema entry.
type SourceConfigSchema struct {
	KeyName         string   `json:"keyName"`
	ValueType       string   `json:"valueType"`
	DefaultValue    string   `json:"defaultValue"`
	SupportedValues []string `json:"supportedValues,omitempty"`
	MinValue        *float64 `json:"minValue,omitempty"`
	MaxValue        *float64 `json:"maxValue,omitempty"`
}

// S3Tables is a template's s3TablesIntegration.
type S3Tables struct {
	DatasourceName string `json:"datasourceName,omitempty"`
	DatasourceType string `json:"datasourceType,omitempty"`
}

// Template is one configuration template: one (service, logType,
// resourceType, destination type). The JSON tags give the wire
// ConfigurationTemplate shape, so json.Marshal of a Template is a valid
// DescribeConfigurationTemplates list item (provenance is tagged "-").
type Template struct {
	Service         string `json:"service"`
	LogType         string `json:"logType"`
	ResourceType    string `json:"resourceType"`
	DestinationType string `json:"deliveryDestinationType"` // S3, CWL, FH, XRAY

	Defaults                Defaults             `json:"defaultDeliveryConfigValues,omitzero"`
	AllowedFields           []Field              `json:"allowedFields,omitempty"` // nil/empty = any recordFields accepted (generic template)
	AllowedOutputFormats    []string             `json:"allowedOutputFormats,omitempty"`
	AllowedAction           string               `json:"allowedActionForAllowVendedLogsDeliveryForResource,omitempty"`
	AllowedFieldDelimiters  []string             `json:"allowedFieldDelimiters,omitempty"`
	AllowedSuffixPathFields []string             `json:"allowedSuffixPathFields,omitempty"`
	SourceConfiguration     []SourceConfigSchema `json:"deliverySourceConfiguration,omitempty"`
	S3TablesIntegration     *S3Tables            `json:"s3TablesIntegration,omitempty"`

	// Provenance; never sent on the wire.
	Source    string `json:"-"`
	Certainty string `json:"-"` // "documented" or "inferred"
	Notes     string `json:"-"`

	// alwaysSuffix are suffix-path variables accepted for every template
	// (catalogue-wide alwaysAllowedSuffixPathFields); nil means the default.
	alwaysSuffix []string
}

type tkey struct{ service, logType, resourceType, dest string }

type resPattern struct {
	service, resourceType string
	re                    *regexp.Regexp
}

type destPattern struct {
	dest string
	re   *regexp.Regexp
}

// Catalog is the loaded, validated catalogue. It is immutable after Load.
type Catalog struct {
	templates   []Template          // sorted, see Templates
	byKey       map[tkey]int        // full key -> index
	byKeyAnyRT  map[tkey]int        // key with resourceType "" -> first index
	serviceSpan map[string][2]int   // service -> [start, end) in templates
	logTypes    map[string][]string // service -> sorted log types
	resPatterns map[string][]resPattern
	destPats    []destPattern
	outFormats  map[string][]string
	hive        map[string]string
	always      []string
}

var (
	loadOnce sync.Once
	loaded   *Catalog
	loadErr  error
)

// Load parses and validates the embedded data once; every call returns the
// same *Catalog (or the same error). Validation failures (unknown destination
// types, duplicate keys, bad regexps, inconsistent defaults, …) are errors.
func Load() (*Catalog, error) {
	loadOnce.Do(func() { loaded, loadErr = parse(embedded) })
	return loaded, loadErr
}

// destOrder ranks destination types for sorting; unknown types are rejected
// at load time.
func destOrder(d string) int {
	switch d {
	case DestS3:
		return 0
	case DestCWL:
		return 1
	case DestFH:
		return 2
	case DestXRay:
		return 3
	}
	return -1
}

// Templates returns all templates in a stable order: by service, then
// logType, then resourceType (byte-wise ascending), then destination type in
// the order S3, CWL, FH, XRAY. The returned slice is fresh; the templates'
// inner slices are shared and read-only.
func (c *Catalog) Templates() []Template {
	return slices.Clone(c.templates)
}

// Filter applies DescribeConfigurationTemplates' filters, ANDed; an empty
// filter is no constraint; logTypes/resourceTypes/destTypes are any-of. The
// match is exact (case-sensitive). The result is in Templates' order and is
// never nil (empty when nothing matches).
func (c *Catalog) Filter(service string, logTypes, resourceTypes, destTypes []string) []Template {
	lo, hi := 0, len(c.templates)
	if service != "" {
		span, ok := c.serviceSpan[service]
		if !ok {
			return []Template{}
		}
		lo, hi = span[0], span[1]
	}
	out := make([]Template, 0, hi-lo)
	for i := lo; i < hi; i++ {
		t := &c.templates[i]
		if len(logTypes) > 0 && !slices.Contains(logTypes, t.LogType) {
			continue
		}
		if len(resourceTypes) > 0 && !slices.Contains(resourceTypes, t.ResourceType) {
			continue
		}
		if len(destTypes) > 0 && !slices.Contains(destTypes, t.DestinationType) {
			continue
		}
		out = append(out, *t)
	}
	return out
}

// ResolveResource maps a source resource ARN to its service and resource type
// using the ARN patterns; ok=false when no supported service owns it. Only
// the patterns of the ARN's service namespace (third field) are tried, in
// data-file order; the first match wins.
//
// An S3 bucket ARN (arn:aws:s3:::bucket) resolves to ("s3", "bucket"): S3 is
// a valid source for S3_SERVER_ACCESS_LOGS only. Whether a logType is valid
// for the resolved service is a separate check (SupportsLogType / Lookup);
// note AWS answered ResourceNotFoundException "Cannot access provided
// service." for an S3 bucket ARN with ACCESS_LOGS.
func (c *Catalog) ResolveResource(arn string) (service, resourceType string, ok bool) {
	ns, ok := arnNamespace(arn)
	if !ok {
		return "", "", false
	}
	for _, p := range c.resPatterns[ns] {
		if p.re.MatchString(arn) {
			return p.service, p.resourceType, true
		}
	}
	return "", "", false
}

// arnNamespace returns the service field of "arn:partition:service:...".
func arnNamespace(arn string) (string, bool) {
	if !strings.HasPrefix(arn, "arn:") {
		return "", false
	}
	rest := arn[4:]
	i := strings.IndexByte(rest, ':')
	if i < 0 {
		return "", false
	}
	rest = rest[i+1:]
	j := strings.IndexByte(rest, ':')
	if j <= 0 {
		return "", false
	}
	return rest[:j], true
}

// LogTypes returns the log types a service can emit (sorted), nil if the
// service is unknown. The slice is shared and read-only.
func (c *Catalog) LogTypes(service string) []string {
	return c.logTypes[service]
}

// SupportsLogType reports whether service can emit logType (some template
// exists for the pair). It does not allocate.
func (c *Catalog) SupportsLogType(service, logType string) bool {
	_, ok := c.logTypeIndex(service, logType)
	return ok
}

func (c *Catalog) logTypeIndex(service, logType string) (int, bool) {
	lts := c.logTypes[service]
	i, ok := slices.BinarySearch(lts, logType)
	return i, ok
}

// Lookup finds the template for (service, logType, resourceType,
// destinationType); resourceType may be "" to match any (the first template
// in Templates' order wins, i.e. the byte-wise smallest resourceType). It
// does not allocate; the returned template's slices are shared and read-only.
func (c *Catalog) Lookup(service, logType, resourceType, destType string) (Template, bool) {
	var (
		i  int
		ok bool
	)
	if resourceType == "" {
		i, ok = c.byKeyAnyRT[tkey{service, logType, "", destType}]
	} else {
		i, ok = c.byKey[tkey{service, logType, resourceType, destType}]
	}
	if !ok {
		return Template{}, false
	}
	return c.templates[i], true
}

// DestinationType derives S3/CWL/FH from a destination resource ARN using
// destinationArnPatterns; ok=false if none match. S3 ARNs may carry a key
// prefix (arn:aws:s3:::bucket/prefix); log-group ARNs may end in ":*". XRAY
// has no resource ARN and is never returned.
func (c *Catalog) DestinationType(arn string) (string, bool) {
	for _, p := range c.destPats {
		if p.re.MatchString(arn) {
			return p.dest, true
		}
	}
	return "", false
}

// OutputFormats returns the output formats a destination type accepts
// (outputFormatsByDestination); nil for XRAY and unknown types. The slice is
// shared and read-only.
func (c *Catalog) OutputFormats(destType string) []string {
	return c.outFormats[destType]
}

// HiveKey maps a suffix path variable like "{yyyy}" to its Hive key ("year").
func (c *Catalog) HiveKey(variable string) (string, bool) {
	k, ok := c.hive[variable]
	return k, ok
}

// ---- parsing and validation ----

type rawFile struct {
	About                         string              `json:"_about"`
	Generated                     string              `json:"_generated"`
	Changes                       []string            `json:"_changes"`
	OutputFormatsByDestination    map[string][]string `json:"outputFormatsByDestination"`
	HiveKeyBySuffixVariable       map[string]string   `json:"hiveKeyBySuffixVariable"`
	AlwaysAllowedSuffixPathFields struct {
		Fields    []string `json:"fields"`
		Source    string   `json:"source"`
		Certainty string   `json:"certainty"`
		Notes     string   `json:"notes"`
	} `json:"alwaysAllowedSuffixPathFields"`
	ResourceArnPatterns []struct {
		Service      string `json:"service"`
		ResourceType string `json:"resourceType"`
		Pattern      string `json:"pattern"`
		Example      string `json:"example"`
		Source       string `json:"source"`
		Certainty    string `json:"certainty"`
		Notes        string `json:"notes"`
	} `json:"resourceArnPatterns"`
	DestinationArnPatterns []struct {
		DeliveryDestinationType string  `json:"deliveryDestinationType"`
		Pattern                 *string `json:"pattern"`
		Source                  string  `json:"source"`
		Certainty               string  `json:"certainty"`
		Notes                   string  `json:"notes"`
	} `json:"destinationArnPatterns"`
	ConfigurationTemplates []rawTemplate `json:"configurationTemplates"`
}

type rawTemplate struct {
	Service                     string `json:"service"`
	LogType                     string `json:"logType"`
	ResourceType                string `json:"resourceType"`
	DeliveryDestinationType     string `json:"deliveryDestinationType"`
	DefaultDeliveryConfigValues *struct {
		RecordFields            []string  `json:"recordFields"`
		FieldDelimiter          *string   `json:"fieldDelimiter"`
		S3DeliveryConfiguration *S3Config `json:"s3DeliveryConfiguration"`
	} `json:"defaultDeliveryConfigValues"`
	AllowedFields               []Field              `json:"allowedFields"`
	AllowedOutputFormats        []string             `json:"allowedOutputFormats"`
	AllowedAction               string               `json:"allowedActionForAllowVendedLogsDeliveryForResource"`
	AllowedFieldDelimiters      []string             `json:"allowedFieldDelimiters"`
	AllowedSuffixPathFields     []string             `json:"allowedSuffixPathFields"`
	DeliverySourceConfiguration []SourceConfigSchema `json:"deliverySourceConfiguration"`
	S3TablesIntegration         *S3Tables            `json:"s3TablesIntegration"`
	Source                      string               `json:"source"`
	Certainty                   string               `json:"certainty"`
	Notes                       string               `json:"notes"`
}

// Model patterns (service-2.json): Service [\w_-]*, LogType [\w]*,
// ResourceType [\w-_]*, all 1..255.
var (
	reService      = regexp.MustCompile(`^[\w-]{1,255}$`)
	reLogType      = regexp.MustCompile(`^\w{1,255}$`)
	reResourceType = regexp.MustCompile(`^[\w-]{1,255}$`)
	reSuffixVar    = regexp.MustCompile(`^\{[A-Za-z0-9_-]+\}$`)
)

func clip[S ~[]E, E any](s S) S {
	if s == nil {
		return nil
	}
	return s[:len(s):len(s)]
}

func parse(data []byte) (*Catalog, error) {
	var raw rawFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("catalog: decode: %w", err)
	}
	c := &Catalog{
		byKey:       map[tkey]int{},
		byKeyAnyRT:  map[tkey]int{},
		serviceSpan: map[string][2]int{},
		logTypes:    map[string][]string{},
		resPatterns: map[string][]resPattern{},
		outFormats:  map[string][]string{},
		hive:        map[string]string{},
	}

	// Output formats per destination.
	for d, fs := range raw.OutputFormatsByDestination {
		if destOrder(d) < 0 {
			return nil, fmt.Errorf("catalog: outputFormatsByDestination: unknown destination type %q", d)
		}
		for _, f := range fs {
			if !validFormat(f) {
				return nil, fmt.Errorf("catalog: outputFormatsByDestination[%s]: unknown output format %q", d, f)
			}
			if f == "parquet" && d != DestS3 {
				return nil, fmt.Errorf("catalog: outputFormatsByDestination[%s]: parquet is only for S3", d)
			}
		}
		if len(fs) > 0 {
			c.outFormats[d] = clip(fs)
		}
	}

	// Hive keys.
	for v, k := range raw.HiveKeyBySuffixVariable {
		if !reSuffixVar.MatchString(v) || k == "" {
			return nil, fmt.Errorf("catalog: hiveKeyBySuffixVariable: bad entry %q -> %q", v, k)
		}
		c.hive[v] = k
	}

	// Always-allowed suffix variables.
	for _, v := range raw.AlwaysAllowedSuffixPathFields.Fields {
		if !reSuffixVar.MatchString(v) {
			return nil, fmt.Errorf("catalog: alwaysAllowedSuffixPathFields: bad variable %q", v)
		}
	}
	c.always = clip(raw.AlwaysAllowedSuffixPathFields.Fields)
	if c.always == nil {
		c.always = []string{}
	}

	// Resource ARN patterns, indexed by ARN namespace (= service).
	type rsKey struct{ service, resourceType string }
	hasPattern := map[rsKey]bool{}
	for i, p := range raw.ResourceArnPatterns {
		where := fmt.Sprintf("catalog: resourceArnPatterns[%d] (%s %s)", i, p.Service, p.ResourceType)
		if !reService.MatchString(p.Service) || !reResourceType.MatchString(p.ResourceType) {
			return nil, fmt.Errorf("%s: service/resourceType violate the model patterns", where)
		}
		if p.Certainty == "" || p.Source == "" {
			return nil, fmt.Errorf("%s: missing provenance (source, certainty)", where)
		}
		if !strings.HasPrefix(p.Pattern, "^") || !strings.HasSuffix(p.Pattern, "$") {
			return nil, fmt.Errorf("%s: pattern must be anchored with ^ and $", where)
		}
		re, err := regexp.Compile(p.Pattern)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		c.resPatterns[p.Service] = append(c.resPatterns[p.Service], resPattern{p.Service, p.ResourceType, re})
		hasPattern[rsKey{p.Service, p.ResourceType}] = true
	}
	for s, ps := range c.resPatterns {
		c.resPatterns[s] = clip(ps)
	}
	for i, p := range raw.ResourceArnPatterns {
		if p.Example == "" {
			return nil, fmt.Errorf("catalog: resourceArnPatterns[%d]: missing example", i)
		}
		if s, rt, ok := c.ResolveResource(p.Example); !ok || s != p.Service || rt != p.ResourceType {
			return nil, fmt.Errorf("catalog: resourceArnPatterns[%d]: example %q resolves to (%q, %q, %v), want (%q, %q)",
				i, p.Example, s, rt, ok, p.Service, p.ResourceType)
		}
	}

	// Destination ARN patterns.
	seenDest := map[string]bool{}
	for i, p := range raw.DestinationArnPatterns {
		d := p.DeliveryDestinationType
		if destOrder(d) < 0 {
			return nil, fmt.Errorf("catalog: destinationArnPatterns[%d]: unknown destination type %q", i, d)
		}
		if seenDest[d] {
			return nil, fmt.Errorf("catalog: destinationArnPatterns[%d]: duplicate destination type %q", i, d)
		}
		seenDest[d] = true
		if p.Pattern == nil {
			if d != DestXRay {
				return nil, fmt.Errorf("catalog: destinationArnPatterns[%d]: %s needs a pattern", i, d)
			}
			continue
		}
		if d == DestXRay {
			return nil, fmt.Errorf("catalog: destinationArnPatterns[%d]: XRAY has no resource ARN", i)
		}
		re, err := regexp.Compile(*p.Pattern)
		if err != nil {
			return nil, fmt.Errorf("catalog: destinationArnPatterns[%d]: %w", i, err)
		}
		c.destPats = append(c.destPats, destPattern{d, re})
	}
	slices.SortStableFunc(c.destPats, func(a, b destPattern) int { return destOrder(a.dest) - destOrder(b.dest) })

	// Templates.
	ts := make([]Template, 0, len(raw.ConfigurationTemplates))
	seen := map[tkey]int{}
	for i, r := range raw.ConfigurationTemplates {
		t, err := c.buildTemplate(r)
		if err != nil {
			return nil, fmt.Errorf("catalog: configurationTemplates[%d] (%s %s %s %s): %w",
				i, r.Service, r.LogType, r.ResourceType, r.DeliveryDestinationType, err)
		}
		k := tkey{t.Service, t.LogType, t.ResourceType, t.DestinationType}
		if j, dup := seen[k]; dup {
			return nil, fmt.Errorf("catalog: configurationTemplates[%d]: duplicate key %v (first at %d)", i, k, j)
		}
		seen[k] = i
		if !hasPattern[rsKey{t.Service, t.ResourceType}] {
			return nil, fmt.Errorf("catalog: configurationTemplates[%d]: no resourceArnPattern maps to (%s, %s)", i, t.Service, t.ResourceType)
		}
		ts = append(ts, t)
	}
	if len(ts) == 0 {
		return nil, fmt.Errorf("catalog: no configuration templates")
	}
	slices.SortFunc(ts, compareTemplates)
	c.templates = clip(ts)

	for i := range c.templates {
		t := &c.templates[i]
		c.byKey[tkey{t.Service, t.LogType, t.ResourceType, t.DestinationType}] = i
		ak := tkey{t.Service, t.LogType, "", t.DestinationType}
		if _, ok := c.byKeyAnyRT[ak]; !ok {
			c.byKeyAnyRT[ak] = i
		}
		span, ok := c.serviceSpan[t.Service]
		if !ok {
			span[0] = i
		}
		span[1] = i + 1
		c.serviceSpan[t.Service] = span
		if lts := c.logTypes[t.Service]; !slices.Contains(lts, t.LogType) {
			c.logTypes[t.Service] = append(lts, t.LogType)
		}
	}
	for s, lts := range c.logTypes {
		slices.Sort(lts)
		c.logTypes[s] = clip(lts)
	}
	return c, nil
}

func compareTemplates(a, b Template) int {
	if c := strings.Compare(a.Service, b.Service); c != 0 {
		return c
	}
	if c := strings.Compare(a.LogType, b.LogType); c != 0 {
		return c
	}
	if c := strings.Compare(a.ResourceType, b.ResourceType); c != 0 {
		return c
	}
	return destOrder(a.DestinationType) - destOrder(b.DestinationType)
}

func validFormat(f string) bool {
	switch f {
	case "json", "plain", "w3c", "raw", "parquet":
		return true
	}
	return false
}

func (c *Catalog) buildTemplate(r rawTemplate) (Template, error) {
	t := Template{
		Service:                 r.Service,
		LogType:                 r.LogType,
		ResourceType:            r.ResourceType,
		DestinationType:         r.DeliveryDestinationType,
		AllowedFields:           clip(r.AllowedFields),
		AllowedOutputFormats:    clip(r.AllowedOutputFormats),
		AllowedAction:           r.AllowedAction,
		AllowedFieldDelimiters:  clip(r.AllowedFieldDelimiters),
		AllowedSuffixPathFields: clip(r.AllowedSuffixPathFields),
		SourceConfiguration:     clip(r.DeliverySourceConfiguration),
		S3TablesIntegration:     r.S3TablesIntegration,
		Source:                  r.Source,
		Certainty:               r.Certainty,
		Notes:                   r.Notes,
		alwaysSuffix:            c.always,
	}
	if !reService.MatchString(t.Service) {
		return t, fmt.Errorf("service %q violates the model pattern", t.Service)
	}
	if !reLogType.MatchString(t.LogType) {
		return t, fmt.Errorf("logType %q violates the model pattern", t.LogType)
	}
	if !reResourceType.MatchString(t.ResourceType) {
		return t, fmt.Errorf("resourceType %q violates the model pattern", t.ResourceType)
	}
	if destOrder(t.DestinationType) < 0 {
		return t, fmt.Errorf("unknown destination type %q", t.DestinationType)
	}
	if t.Source == "" {
		return t, fmt.Errorf("missing source")
	}
	if t.Certainty != "documented" && t.Certainty != "inferred" {
		return t, fmt.Errorf("certainty %q is neither documented nor inferred", t.Certainty)
	}
	if t.AllowedAction == "" {
		return t, fmt.Errorf("missing allowedActionForAllowVendedLogsDeliveryForResource")
	}
	if (t.LogType == "TRACES") != (t.DestinationType == DestXRay) {
		return t, fmt.Errorf("TRACES go to XRAY only, and XRAY takes only TRACES")
	}
	allowedFormats := c.outFormats[t.DestinationType]
	for _, f := range t.AllowedOutputFormats {
		if !validFormat(f) {
			return t, fmt.Errorf("unknown output format %q", f)
		}
		if f == "parquet" && t.DestinationType != DestS3 {
			return t, fmt.Errorf("parquet is only for S3")
		}
		if !slices.Contains(allowedFormats, f) {
			return t, fmt.Errorf("output format %q not accepted by destination %s", f, t.DestinationType)
		}
	}
	for _, d := range t.AllowedFieldDelimiters {
		if len(d) > 5 {
			return t, fmt.Errorf("field delimiter %q longer than 5", d)
		}
	}
	for _, v := range t.AllowedSuffixPathFields {
		if !reSuffixVar.MatchString(v) {
			return t, fmt.Errorf("allowedSuffixPathFields: bad variable %q", v)
		}
	}
	if len(t.AllowedSuffixPathFields) > 0 && t.DestinationType != DestS3 {
		return t, fmt.Errorf("allowedSuffixPathFields only make sense for S3")
	}
	for i, f := range t.AllowedFields {
		if f.Name == "" || len(f.Name) > 64 {
			return t, fmt.Errorf("allowedFields[%d]: bad name %q", i, f.Name)
		}
		for _, g := range t.AllowedFields[:i] {
			if g.Name == f.Name {
				return t, fmt.Errorf("allowedFields: duplicate %q", f.Name)
			}
		}
	}
	for i, s := range t.SourceConfiguration {
		if s.KeyName == "" || s.DefaultValue == "" {
			return t, fmt.Errorf("deliverySourceConfiguration[%d]: keyName and defaultValue are required", i)
		}
		switch s.ValueType {
		case "string", "boolean", "int", "double", "long":
		default:
			return t, fmt.Errorf("deliverySourceConfiguration[%d]: bad valueType %q", i, s.ValueType)
		}
	}
	if d := r.DefaultDeliveryConfigValues; d != nil {
		t.Defaults = Defaults{RecordFields: clip(d.RecordFields), FieldDelimiter: d.FieldDelimiter, S3: d.S3DeliveryConfiguration}
		if t.Defaults.RecordFields != nil {
			if msg := t.CheckRecordFields(t.Defaults.RecordFields); msg != "" {
				return t, fmt.Errorf("default recordFields: %s", msg)
			}
		}
		if t.Defaults.FieldDelimiter != nil {
			if msg := t.CheckFieldDelimiter(*t.Defaults.FieldDelimiter); msg != "" {
				return t, fmt.Errorf("default fieldDelimiter: %s", msg)
			}
		}
		if s3 := t.Defaults.S3; s3 != nil {
			if t.DestinationType != DestS3 {
				return t, fmt.Errorf("default s3DeliveryConfiguration on a %s template", t.DestinationType)
			}
			if msg := t.CheckS3DeliveryConfiguration(s3.SuffixPath, s3.EnableHiveCompatiblePath); msg != "" {
				return t, fmt.Errorf("default suffixPath %q: %s", s3.SuffixPath, msg)
			}
		}
	}
	return t, nil
}
