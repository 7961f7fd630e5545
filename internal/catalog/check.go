package catalog

import (
	"strconv"
	"strings"
)

// SuffixPathInvalid is AWS's (observed) text for a suffixPath it refuses.
const SuffixPathInvalid = "Provided suffixPath is invalid"

// defaultAlwaysSuffix applies to a Template built outside Load.
var defaultAlwaysSuffix = []string{"{account-id}"}

// CheckRecordFields validates a delivery's recordFields against the template
// and returns a human message, or "" when valid. Rules, in this order:
// an empty name is refused; a repeated name is refused (for every template);
// with AllowedFields non-empty every name must be one of them and every
// mandatory field must be present; a generic template (no AllowedFields)
// accepts any names. An empty list is valid unless the template has
// mandatory fields (the caller decides whether an omitted list means the
// template defaults). Messages (wording ours; AWS's text is unknown):
//
//	Invalid recordFields: empty field name
//	Invalid recordFields: duplicate field 'x'
//	Invalid recordFields: unknown field 'x'
//	Invalid recordFields: mandatory field 'x' is missing
//
// It does not allocate when the fields are valid.
func (t Template) CheckRecordFields(fields []string) string {
	for i, f := range fields {
		if f == "" {
			return "Invalid recordFields: empty field name"
		}
		for _, g := range fields[:i] {
			if g == f {
				return "Invalid recordFields: duplicate field '" + f + "'"
			}
		}
	}
	if len(t.AllowedFields) == 0 {
		return ""
	}
	for _, f := range fields {
		if !t.hasField(f) {
			return "Invalid recordFields: unknown field '" + f + "'"
		}
	}
	for _, a := range t.AllowedFields {
		if !a.Mandatory {
			continue
		}
		found := false
		for _, f := range fields {
			if f == a.Name {
				found = true
				break
			}
		}
		if !found {
			return "Invalid recordFields: mandatory field '" + a.Name + "' is missing"
		}
	}
	return ""
}

func (t Template) hasField(name string) bool {
	for _, a := range t.AllowedFields {
		if a.Name == name {
			return true
		}
	}
	return false
}

// CheckFieldDelimiter validates a fieldDelimiter. "" is always accepted (it
// is the recorded default value AWS returns, and no template lists it); a
// template with no AllowedFieldDelimiters accepts anything; otherwise the
// delimiter must be one of AllowedFieldDelimiters (for ELB/CloudFront: tab,
// space, comma). Whether a delimiter suits the destination's output format
// (AWS-maintained tooling allows it only with plain/w3c) is not checked here.
// Message: Invalid fieldDelimiter "|": allowed values are "\t", " ", ","
func (t Template) CheckFieldDelimiter(d string) string {
	if d == "" || len(t.AllowedFieldDelimiters) == 0 {
		return ""
	}
	for _, a := range t.AllowedFieldDelimiters {
		if a == d {
			return ""
		}
	}
	var b strings.Builder
	b.WriteString("Invalid fieldDelimiter ")
	b.WriteString(strconv.Quote(d))
	b.WriteString(": allowed values are ")
	for i, a := range t.AllowedFieldDelimiters {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(a))
	}
	return b.String()
}

// CheckSuffixPath validates an s3DeliveryConfiguration.suffixPath and returns
// SuffixPathInvalid ("Provided suffixPath is invalid", AWS's known text) or
// "" when valid. "" is valid (nothing to check; the model's min length 1 is
// the caller's shape validation). Braces must be balanced and not nested;
// each {variable} must be non-empty, made of letters, digits, '-' and '_',
// and be either in AllowedSuffixPathFields or a catalogue-wide always-allowed
// variable ({account-id}). A template without AllowedSuffixPathFields
// (generic, or a non-S3 destination) accepts any well-formed variable.
// It does not allocate.
func (t Template) CheckSuffixPath(p string) string {
	for i := 0; i < len(p); {
		switch p[i] {
		case '}':
			return SuffixPathInvalid
		case '{':
			j := strings.IndexByte(p[i+1:], '}')
			if j <= 0 {
				return SuffixPathInvalid
			}
			inner := p[i+1 : i+1+j]
			for k := 0; k < len(inner); k++ {
				ch := inner[k]
				if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_') {
					return SuffixPathInvalid
				}
			}
			if !t.suffixVarAllowed(p[i : i+j+2]) {
				return SuffixPathInvalid
			}
			i += j + 2
		default:
			i++
		}
	}
	return ""
}

func (t Template) suffixVarAllowed(v string) bool {
	always := t.alwaysSuffix
	if always == nil {
		always = defaultAlwaysSuffix
	}
	for _, a := range always {
		if a == v {
			return true
		}
	}
	if len(t.AllowedSuffixPathFields) == 0 {
		return true
	}
	for _, a := range t.AllowedSuffixPathFields {
		if a == v {
			return true
		}
	}
	return false
}

// CheckS3DeliveryConfiguration is CheckSuffixPath plus the Hive rule: with
// enableHiveCompatiblePath true, delivery writes the "key=" half of each
// variable itself, and AWS refuses a suffixPath that also carries an '='
// ("Provided suffixPath is invalid", observed against AWS). With Hive off an
// '=' is accepted (it becomes a literal folder name).
func (t Template) CheckS3DeliveryConfiguration(suffixPath string, enableHiveCompatiblePath bool) string {
	if msg := t.CheckSuffixPath(suffixPath); msg != "" {
		return msg
	}
	if enableHiveCompatiblePath && strings.IndexByte(suffixPath, '=') >= 0 {
		return SuffixPathInvalid
	}
	return ""
}
