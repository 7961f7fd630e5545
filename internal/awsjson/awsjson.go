// Package awsjson is the AWS JSON 1.1 wire: it finds the operation a request
// names, reads and decodes its body, and writes results and errors exactly as
// AWS JSON services do.
//
// It imports only awserr.
package awsjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/cwlogd/cwlogd/internal/awserr"
)

// ContentType is the media type of every request and response body.
const ContentType = "application/x-amz-json-1.1"

// Operation returns the operation named by the X-Amz-Target header of a
// request to service prefix (for CloudWatch Logs "Logs_20140328").
func Operation(r *http.Request, prefix string) (string, *awserr.Error) {
	target := r.Header.Get("X-Amz-Target")
	op, ok := strings.CutPrefix(target, prefix+".")
	if r.Method != http.MethodPost || !ok || op == "" {
		return "", awserr.New(awserr.UnknownOperation, "")
	}
	return op, nil
}

// ReadBody reads at most limit bytes of the request body: past the limit
// it answers RequestEntityTooLargeException (413), and a body the server's
// read timeout cut off RequestTimeoutException (408), which the SDKs retry.
func ReadBody(r *http.Request, limit int64) ([]byte, *awserr.Error) {
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		if r.ContentLength > limit {
			return nil, tooLarge(limit)
		}
		buf.Grow(int(r.ContentLength))
	}
	n, err := buf.ReadFrom(io.LimitReader(r.Body, limit+1))
	if err != nil {
		var te interface{ Timeout() bool }
		if errors.As(err, &te) && te.Timeout() {
			return nil, awserr.New(awserr.RequestTimeout, "The request body was not received in time.")
		}
		return nil, awserr.New(awserr.Serialization, "Could not read the request body.")
	}
	if n > limit {
		return nil, tooLarge(limit)
	}
	return buf.Bytes(), nil
}

func tooLarge(limit int64) *awserr.Error {
	return awserr.New(awserr.RequestEntityTooLarge, "Request body is larger than the limit of "+strconv.FormatInt(limit, 10)+" bytes.")
}

// Decode unmarshals a request body, which must be one JSON object (an empty
// body counts as {}), into v. Unknown members are ignored, as AWS does.
func Decode(body []byte, v any) *awserr.Error {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return nil
	}
	if trimmed[0] != '{' {
		return awserr.New(awserr.Serialization, notExpected(trimmed[0]))
	}
	if f, ok := v.(fastDecoder); ok && f.DecodeFast(trimmed) {
		return nil
	}
	err := json.Unmarshal(trimmed, v)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return awserr.New(awserr.Serialization, typeMismatch(te))
	}
	return awserr.New(awserr.Serialization, "Malformed request body: not a valid JSON document.")
}

// fastDecoder is an input with a decoder of its own for its common form,
// reporting false, and leaving itself zero, for any other; Decode then
// decodes it with encoding/json.
type fastDecoder interface {
	DecodeFast(b []byte) bool
}

// notExpected words a JSON value of the wrong kind as Coral does.
func notExpected(first byte) string {
	switch first {
	case '{':
		return "Start of structure or map found where not expected."
	case '[':
		return "Start of list found where not expected."
	}
	return "Malformed request body: expected a JSON object."
}

func typeMismatch(te *json.UnmarshalTypeError) string {
	switch {
	case strings.HasPrefix(te.Value, "object"):
		return notExpected('{')
	case strings.HasPrefix(te.Value, "array"):
		return notExpected('[')
	}
	value := "NUMBER_VALUE"
	switch {
	case strings.HasPrefix(te.Value, "string"):
		value = "STRING_VALUE"
	case strings.HasPrefix(te.Value, "bool"):
		value = "BOOLEAN_VALUE"
	}
	msg := value + " can not be converted to " + javaType(te.Type)
	if te.Field != "" {
		msg += " at '" + te.Field + "'"
	}
	return msg
}

func javaType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a String"
	case reflect.Int32:
		return "an Integer"
	case reflect.Int64:
		return "a Long"
	case reflect.Bool:
		return "a Boolean"
	case reflect.Float32, reflect.Float64:
		return "a Double"
	case reflect.Slice:
		return "a List"
	case reflect.Map:
		return "a Map"
	case reflect.Struct:
		return "a Structure"
	}
	return "the expected type"
}

// WriteResult writes a successful answer whose body is v encoded as JSON.
func WriteResult(w http.ResponseWriter, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		WriteError(w, awserr.Internal())
		return
	}
	writeBody(w, http.StatusOK, body)
}

// WriteError writes e as {"__type": code, "message": text} with the
// X-Amzn-ErrorType header AWS sends.
func WriteError(w http.ResponseWriter, e *awserr.Error) {
	w.Header().Set("X-Amzn-ErrorType", e.Code)
	var body []byte
	if len(e.Extra) == 0 {
		body, _ = json.Marshal(errorBody{Type: e.Code, Message: e.Message})
	} else {
		m := make(map[string]string, len(e.Extra)+2)
		for k, v := range e.Extra {
			m[k] = v
		}
		m["__type"], m["message"] = e.Code, e.Message
		body, _ = json.Marshal(m)
	}
	writeBody(w, e.Status, body)
}

type errorBody struct {
	Type    string `json:"__type"`
	Message string `json:"message,omitempty"`
}

func writeBody(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", ContentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}
