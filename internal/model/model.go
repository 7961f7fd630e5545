// Package model holds cwlogd's domain types — delivery sources, delivery
// destinations and deliveries as stored — and the ARN helpers that name them.
//
// It imports nothing from the project.
package model

// Scope is the account and region every resource belongs to.
type Scope struct {
	Account string
	Region  string
}

// DeliverySource is a logical object for an AWS resource that emits logs.
type DeliverySource struct {
	Name        string            `json:"name"`
	Arn         string            `json:"arn"`
	ResourceArn string            `json:"resourceArn"`
	Service     string            `json:"service"`
	LogType     string            `json:"logType"`
	Tags        map[string]string `json:"tags,omitempty"`                        // nil when none
	Config      map[string]string `json:"deliverySourceConfiguration,omitempty"` // nil when none
}

// DeliveryDestination is a logical object for where logs land.
type DeliveryDestination struct {
	Name         string            `json:"name"`
	Arn          string            `json:"arn"`
	Type         string            `json:"deliveryDestinationType"`          // S3, CWL, FH or XRAY
	OutputFormat string            `json:"outputFormat,omitempty"`           // "" when the caller gave none: AWS does not default it
	ResourceArn  string            `json:"destinationResourceArn,omitempty"` // verbatim; "" for XRAY
	Tags         map[string]string `json:"tags,omitempty"`
	Policy       string            `json:"policy,omitempty"` // minified delivery destination policy; "" when none
}

// S3Config is a delivery's S3 path configuration.
type S3Config struct {
	SuffixPath string `json:"suffixPath,omitempty"`
	Hive       bool   `json:"enableHiveCompatiblePath"`
}

// Delivery pairs one delivery source with one delivery destination.
type Delivery struct {
	ID              string            `json:"id"`
	Arn             string            `json:"arn"`
	SourceName      string            `json:"deliverySourceName"`
	DestinationArn  string            `json:"deliveryDestinationArn"`
	DestinationType string            `json:"deliveryDestinationType"`
	RecordFields    []string          `json:"recordFields"`             // nil when unset; kept as null so [] survives a round trip
	FieldDelimiter  *string           `json:"fieldDelimiter,omitempty"` // nil when unset; "" is a value
	S3              *S3Config         `json:"s3DeliveryConfiguration,omitempty"`
	Tags            map[string]string `json:"tags,omitempty"`
}

// Clone returns a deep copy, so stores can keep values nobody else mutates.
func (s DeliverySource) Clone() DeliverySource {
	s.Tags = cloneMap(s.Tags)
	s.Config = cloneMap(s.Config)
	return s
}

// Clone returns a deep copy.
func (d DeliveryDestination) Clone() DeliveryDestination {
	d.Tags = cloneMap(d.Tags)
	return d
}

// Clone returns a deep copy.
func (d Delivery) Clone() Delivery {
	if d.RecordFields != nil {
		d.RecordFields = append(make([]string, 0, len(d.RecordFields)), d.RecordFields...)
	}
	if d.FieldDelimiter != nil {
		v := *d.FieldDelimiter
		d.FieldDelimiter = &v
	}
	if d.S3 != nil {
		v := *d.S3
		d.S3 = &v
	}
	d.Tags = cloneMap(d.Tags)
	return d
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
