package loadgen

import (
	"strings"
	"testing"
	"time"
)

func TestCheckEndpoint(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string // "" means refused
	}{
		{"http://127.0.0.1:4566", "http://127.0.0.1:4566/"},
		{"http://127.0.0.1:4566/", "http://127.0.0.1:4566/"},
		{"http://127.1.2.3:80", "http://127.1.2.3:80/"},
		{"http://127.255.255.254", "http://127.255.255.254/"},
		{"http://localhost:4566", "http://localhost:4566/"},
		{"http://LocalHost:4566", "http://LocalHost:4566/"},
		{"http://[::1]:4566", "http://[::1]:4566/"},
		{"https://[::1]:4566", "https://[::1]:4566/"},
		{"http://[::ffff:127.0.0.1]:4566", "http://[::ffff:127.0.0.1]:4566/"},
		{"http://128.0.0.1:4566", ""},
		{"http://126.255.255.255:4566", ""},
		{"http://10.0.0.1:4566", ""},
		{"http://0.0.0.0:4566", ""},
		{"http://[::]:4566", ""},
		{"http://[::2]:4566", ""},
		{"http://192.168.1.1", ""},
		{"http://example.com", ""},
		{"http://localhost.example.com:4566", ""},
		{"http://127.0.0.1.example.com:4566", ""},
		{"http://mylocalhost:4566", ""},
		{"http://127.0.0.1@example.com:4566", ""},
		{"http://user@127.0.0.1:4566", ""},
		{"ftp://127.0.0.1:4566", ""},
		{"127.0.0.1:4566", ""},
		{"http://127.0.0.1:4566/path", ""},
		{"http://127.0.0.1:4566/?x=1", ""},
		{"http://:4566", ""},
		{"", ""},
	} {
		u, err := CheckEndpoint(c.in)
		switch {
		case c.want == "" && err == nil:
			t.Errorf("CheckEndpoint(%q) = %s, want refused", c.in, u)
		case c.want != "" && err != nil:
			t.Errorf("CheckEndpoint(%q): %v", c.in, err)
		case c.want != "" && u.String() != c.want:
			t.Errorf("CheckEndpoint(%q) = %s, want %s", c.in, u, c.want)
		}
	}
}

func TestIsLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1": true, "127.9.9.9": true, "::1": true, "localhost": true, "LOCALHOST": true, "::1%lo": true,
		"0:0:0:0:0:0:0:1": true, "": false, "1.2.3.4": false, "::": false, "0.0.0.0": false, "localhost.": false,
		"fe80::1": false, "169.254.0.1": false,
	} {
		if got := IsLoopbackHost(host); got != want {
			t.Errorf("IsLoopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestCheckListen(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:0": true, "localhost:8080": true, "[::1]:9000": true,
		":8080": false, "0.0.0.0:8080": false, "10.1.1.1:80": false, "127.0.0.1": false,
	} {
		if err := CheckListen(addr); (err == nil) != ok {
			t.Errorf("CheckListen(%q) = %v, want ok %v", addr, err, ok)
		}
	}
}

func TestParseSince(t *testing.T) {
	for in, want := range map[string]time.Time{
		"1732512345.123456":     time.Unix(1732512345, 123456000),
		"1732512345,5":          time.Unix(1732512345, 500000000),
		"1732512345":            time.Unix(1732512345, 0),
		"1732512345.1234567891": time.Unix(1732512345, 123456789),
	} {
		got, err := ParseSince(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseSince(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "abc", "-5", "12.x", "1.-5"} {
		if _, err := ParseSince(in); err == nil {
			t.Errorf("ParseSince(%q) accepted", in)
		}
	}
}

func TestDeliveryID(t *testing.T) {
	for in, want := range map[string]string{
		`{"delivery":{"id":"AbC123","arn":"x"}}`:                              "AbC123",
		`{"delivery": {"deliverySourceName": "s", "id": "pWeNrIbChe9NtsBV"}}`: "pWeNrIbChe9NtsBV",
		`{"delivery":{"recordFields":["x-edge-request-id","id"],"id":"Q1"}}`:  "Q1",
		`{"delivery":{"recordFields":["id"]}}`:                                "",
		`{"delivery":{"id":""}}`:                                              "",
		`{}`:                                                                  "",
	} {
		got, ok := deliveryID([]byte(in))
		if string(got) != want || ok != (want != "") {
			t.Errorf("deliveryID(%s) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestValidate(t *testing.T) {
	good := Config{Endpoint: "http://127.0.0.1:1", Op: OpGetDeliverySource, Clients: 1, Duration: time.Second, Region: "us-east-1", Account: "123456789012"}
	if err := good.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	for name, mod := range map[string]func(*Config){
		"remote endpoint": func(c *Config) { c.Endpoint = "http://203.0.113.1:4566" },
		"unknown op":      func(c *Config) { c.Op = "DeleteEverything" },
		"no clients":      func(c *Config) { c.Clients = 0 },
		"too many":        func(c *Config) { c.Clients = MaxClients + 1 },
		"unbounded":       func(c *Config) { c.Duration = 0 },
		"too long":        func(c *Config) { c.Duration = MaxDuration + time.Second },
		"long warm-up":    func(c *Config) { c.Warmup = MaxWarmup + time.Second },
		"bad account":     func(c *Config) { c.Account = "AKIDEXAMPLE" },
		"bad region":      func(c *Config) { c.Region = "moon" },
		"distinct get":    func(c *Config) { c.Distinct = true },
		"negative":        func(c *Config) { c.Requests = -1 },
	} {
		c := good
		mod(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(err.Error(), "\n") && name != "" {
			t.Errorf("%s: more than one problem reported: %v", name, err)
		}
	}
	// A request count needs no duration.
	c := good
	c.Duration, c.Requests = 0, 10
	if err := c.Validate(); err != nil {
		t.Errorf("requests without duration: %v", err)
	}
}
