package emulator

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	sigV4Algorithm = "AWS4-HMAC-SHA256"
	amzDateFormat  = "20060102T150405Z"
	maxClockSkew   = 15 * time.Minute
)

type sigV4Header struct {
	accessKeyID   string
	region        string
	service       string
	signedHeaders []string
	signature     string
}

func parseSigV4Header(value string) (sigV4Header, bool) {
	var h sigV4Header
	rest, ok := strings.CutPrefix(value, sigV4Algorithm+" ")
	if !ok {
		return h, false
	}
	for part := range strings.SplitSeq(rest, ",") {
		key, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return h, false
		}
		switch key {
		case "Credential":
			scope := strings.Split(val, "/")
			if len(scope) != 5 || scope[4] != "aws4_request" {
				return h, false
			}
			h.accessKeyID, h.region, h.service = scope[0], scope[2], scope[3]
		case "SignedHeaders":
			h.signedHeaders = strings.Split(val, ";")
		case "Signature":
			h.signature = val
		}
	}
	return h, h.accessKeyID != "" && h.signature != "" && len(h.signedHeaders) > 0
}

// accessKeyPattern is the form of a long-term access key ID. Any such key signed with the
// configured secret key is accepted, with state of its own.
var accessKeyPattern = regexp.MustCompile(`^AKIA[A-Z0-9]{16}$`)

// verifySigV4 recomputes the request's SigV4 signature with the secret key of the access key
// that signed it (the emulator's own, or one it issued for a role session) and compares it with
// the one sent, so tests fail the way AWS does on wrong or missing credentials. It returns the
// role session that signed, if any.
func (e *Emulator) verifySigV4(r *http.Request, body []byte, service string) (*RoleSession, *apiError) {
	header, ok := parseSigV4Header(r.Header.Get("Authorization"))
	if !ok {
		return nil, &apiError{Status: http.StatusForbidden, Code: "MissingAuthenticationTokenException", Message: "Missing Authentication Token"}
	}
	secret, session := e.cfg.SecretAccessKey, e.roleSession(header.accessKeyID)
	switch {
	case session != nil && r.Header.Get("X-Amz-Security-Token") == session.sessionToken:
		secret = session.secretAccessKey
	case !accessKeyPattern.MatchString(header.accessKeyID):
		return nil, &apiError{Status: http.StatusBadRequest, Code: "UnrecognizedClientException", Message: "The security token included in the request is invalid."}
	}
	if header.service != service {
		return nil, &apiError{Status: http.StatusBadRequest, Code: "InvalidSignatureException", Message: "Credential should be scoped to correct service: '" + service + "'."}
	}
	if header.region != e.cfg.Region {
		return nil, &apiError{Status: http.StatusBadRequest, Code: "InvalidSignatureException", Message: "Credential should be scoped to a valid region: '" + e.cfg.Region + "'."}
	}
	signedAt, err := time.Parse(amzDateFormat, r.Header.Get("X-Amz-Date"))
	if err != nil {
		return nil, &apiError{Status: http.StatusBadRequest, Code: "IncompleteSignatureException", Message: "X-Amz-Date header is missing or malformed."}
	}
	if skew := time.Since(signedAt); skew > maxClockSkew || skew < -maxClockSkew {
		return nil, &apiError{Status: http.StatusBadRequest, Code: "InvalidSignatureException", Message: "Signature expired: " + r.Header.Get("X-Amz-Date")}
	}

	// Rebuild the request from the signed headers alone, then sign it as the client should have.
	resigned, err := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), nil)
	if err != nil {
		return nil, &apiError{Status: http.StatusBadRequest, Code: "InvalidSignatureException", Message: err.Error()}
	}
	resigned.Host = r.Host
	for _, name := range header.signedHeaders {
		switch name {
		case "host":
		case "content-length":
			resigned.ContentLength = int64(len(body))
		default:
			resigned.Header[http.CanonicalHeaderKey(name)] = r.Header.Values(name)
		}
	}
	payloadHash := sha256.Sum256(body)
	creds := aws.Credentials{
		AccessKeyID:     e.cfg.AccessKeyID,
		SecretAccessKey: secret,
		SessionToken:    r.Header.Get("X-Amz-Security-Token"),
	}
	err = v4.NewSigner().SignHTTP(context.Background(), creds, resigned, hex.EncodeToString(payloadHash[:]), header.service, header.region, signedAt)
	if err != nil {
		return nil, &apiError{Status: http.StatusBadRequest, Code: "InvalidSignatureException", Message: err.Error()}
	}
	expected, _ := parseSigV4Header(resigned.Header.Get("Authorization"))
	if !hmac.Equal([]byte(expected.signature), []byte(header.signature)) {
		return nil, &apiError{
			Status:  http.StatusBadRequest,
			Code:    "InvalidSignatureException",
			Message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
		}
	}
	return session, nil
}

// roleSession returns the role session an access key was issued for, if any.
func (e *Emulator) roleSession(accessKeyID string) *RoleSession {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, s := range e.sessions {
		if s.AccessKeyID == accessKeyID {
			return s
		}
	}
	return nil
}
