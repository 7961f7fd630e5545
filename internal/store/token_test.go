package store

import "testing"

func TestTokens(t *testing.T) {
	l := Listing("sources", "111111111111", "us-east-1")
	tok := EncodeToken(l, "name-42")
	if got, ok := DecodeToken(l, tok); !ok || got != "name-42" {
		t.Fatalf("DecodeToken = %q, %v", got, ok)
	}
	other := Listing("sources", "222222222222", "us-east-1")
	if _, ok := DecodeToken(other, tok); ok {
		t.Error("token accepted by another account's listing")
	}
	for _, bad := range []string{"", "x", "!!!!", tok[:len(tok)-1], tok + "A", "AAAAAAAAAAAA"} {
		if _, ok := DecodeToken(l, bad); ok {
			t.Errorf("bad token %q accepted", bad)
		}
	}
}
