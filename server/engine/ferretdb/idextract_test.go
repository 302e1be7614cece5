package main

// Tests of the `->"_id"` fast path patched into modernc.org/sqlite (patches.json, lib/hooks.go and
// lib/sqlite_linux_amd64.go): FerretDB's `_id` index holds what `->` returned when each row was written, possibly by
// SQLite's own code, so the fast path must give the same bytes (and NULL and errors in the same cases) for every text.
// Run through `testFerretdbGo` (server/test/engine-go.test.ts), which builds against the patched modules.

import (
	"database/sql"
	"fmt"
	"math/rand"
	"runtime"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// extractBoth returns `doc -> '_id'` (the fast path's form) and `doc -> '$."_id"'` (the same lookup by SQLite's code).
func extractBoth(t *testing.T, db *sql.DB, doc string) (fast, slow string) {
	t.Helper()
	one := func(path string) string {
		var v sql.NullString
		if err := db.QueryRow(`SELECT ? -> `+path, doc).Scan(&v); err != nil {
			return "error: " + err.Error()
		}
		if !v.Valid {
			return "NULL"
		}
		return "value: " + v.String
	}
	return one(`'_id'`), one(`'$."_id"'`)
}

func openMemory(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file::memory:")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func deep(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }

var idCases = []struct {
	doc  string
	fast bool // the fast path answers (the others must still agree with SQLite)
}{
	{`{"$s":{"p":{"_id":{"t":"string"},"n":{"t":"int"}},"$k":["_id","n"]},"_id":"u1","n":5}`, true},
	{`{"_id":"u1"}`, true},
	{` { "_id" : "a b" } `, true},
	{"{\n\t\"x\":[1,-2.5e+3,0.1,true,false,null,{}],\r\n\"_id\":\"x\"}", true},
	{`{"_id":"县委组织部 🙂"}`, true},
	{`{"_id":""}`, true},
	{`{"_id":"first","_id":"second"}`, true},
	{`{"a":{"_id":"inner"},"_id":"outer"}`, true},
	{`{"_id":"x","k\"ey":1}`, true},
	{`{"a":"` + "\u2028" + `","_id":"x"}`, true},
	{`{"_id":"say \"hi\""}`, false},
	{`{"_id":"\u0041"}`, false},
	{`{"\u005fid":"escaped key","_id":"plain"}`, false},
	{`{"k\"ey":1,"_id":"x"}`, false},
	{`{"_id":5}`, false},
	{`{"_id":-0.5e10}`, false},
	{`{"_id":{"a":1}}`, false},
	{`{"_id":[1,2]}`, false},
	{`{"_id":null}`, false},
	{`{"_id":true}`, false},
	{`{"n":1}`, false},
	{`{}`, false},
	{`[{"_id":"x"}]`, false},
	{`"_id"`, false},
	{``, false},
	{`{_id:"json5"}`, false},
	{`{"_id":'single'}`, false},
	{`{"_id":"x",}`, false},
	{`{"_id":"x"} // comment`, false},
	{`{"a":0x1F,"_id":"x"}`, false},
	{`{"a":+1,"_id":"x"}`, false},
	{`{"a":.5,"_id":"x"}`, false},
	{`{"a":Infinity,"_id":"x"}`, false},
	{`{"a":01,"_id":"x"}`, false},
	{`{"a":1.,"_id":"x"}`, false},
	{`{"a":1e,"_id":"x"}`, false},
	{`{"a":-,"_id":"x"}`, false},
	{`{"a":tru,"_id":"x"}`, false},
	{`{"a":nul,"_id":"x"}`, false},
	{"{\"a\":\"tab\there\",\"_id\":\"x\"}", false},
	{"{\"_id\":\"x\"}\x00", false},
	{`{"_id":"x"`, false},
	{`{"_id":"x"}}`, false},
	{`{"_id":"x"} {"_id":"y"}`, false},
	{`{"_id" "x"}`, false},
	{`{"a":[1 2],"_id":"x"}`, false},
	{`{"a":{"b" 1},"_id":"x"}`, false},
	{`{"a":"\x","_id":"x"}`, false},
	{`{"a":"\u12G4","_id":"x"}`, false},
	{"{\"a\":" + deep(500) + ",\"_id\":\"x\"}", true},
	{"{\"a\":" + deep(999) + ",\"_id\":\"x\"}", false},
	{"{\"a\":" + deep(1200) + ",\"_id\":\"x\"}", false},
	{"{\"_id\":\"x\",\"a\":" + strings.Repeat("[", 50) + "}", false},
	{"{\"_id\":\"x\"}\f", false},
}

func TestIDExtractMatchesSQLite(t *testing.T) {
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skip("the fast path is patched into the linux/amd64 SQLite only")
	}
	db := openMemory(t)
	for _, c := range idCases {
		before := sqlite3.PioneerIDExtracts()
		fast, slow := extractBoth(t, db, c.doc)
		if fast != slow {
			t.Errorf("%.80q: fast path %q, SQLite %q", c.doc, fast, slow)
		}
		if took := sqlite3.PioneerIDExtracts() > before; took != c.fast {
			t.Errorf("%.80q: fast path taken %v, want %v", c.doc, took, c.fast)
		}
	}
}

// randomDoc is a JSON-ish object: mostly valid (sjson-like), with escapes, nesting and the odd broken byte.
func randomDoc(r *rand.Rand) string {
	pieces := []string{`"a"`, `"_id"`, `"$s"`, `"k\"q"`, `"\u005fid"`, `"中"`, `"_i"`, `"_idd"`}
	values := []string{`"v"`, `"x y"`, `"\n"`, `"a\"b"`, `1`, `-0`, `2.5e-3`, `true`, `null`, `{}`, `[]`, `{"_id":"in"}`,
		`[1,{"a":[]}]`, `"🙂"`, `"\u00e9"`}
	var b strings.Builder
	b.WriteString("{")
	n := r.Intn(6)
	plainID := r.Intn(n + 2) // where a plain "_id" member goes, if anywhere
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		if r.Intn(4) == 0 {
			b.WriteString(" ")
		}
		if i == plainID {
			b.WriteString(fmt.Sprintf(`"_id":"id%d",`, i))
		}
		b.WriteString(pieces[r.Intn(len(pieces))] + ":" + values[r.Intn(len(values))])
	}
	b.WriteString("}")
	s := b.String()
	switch r.Intn(5) {
	case 0: // cut short
		s = s[:r.Intn(len(s)+1)]
	case 1: // one byte changed
		i := r.Intn(len(s))
		noise := "{}[],:\"\\ x0\x01"
		s = s[:i] + string(noise[r.Intn(len(noise))]) + s[i+1:]
	}
	return s
}

func TestIDExtractMatchesSQLiteOnRandomTexts(t *testing.T) {
	db := openMemory(t)
	r := rand.New(rand.NewSource(17))
	fastTaken := sqlite3.PioneerIDExtracts()
	defer func() { t.Logf("fast path taken %d times in 20000", sqlite3.PioneerIDExtracts()-fastTaken) }()
	for i := 0; i < 20000; i++ {
		doc := randomDoc(r)
		if fast, slow := extractBoth(t, db, doc); fast != slow {
			t.Fatalf("%q: fast path %q, SQLite %q", doc, fast, slow)
		}
	}
	if runtime.GOOS == "linux" && runtime.GOARCH == "amd64" && sqlite3.PioneerIDExtracts()-fastTaken < 2000 {
		t.Errorf("fast path taken only %d times in 20000", sqlite3.PioneerIDExtracts()-fastTaken)
	}
}

// The index FerretDB builds, written and updated through the fast path, stays consistent and finds every row.
func TestIDIndexThroughFastPath(t *testing.T) {
	db := openMemory(t)
	mustExec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %s", q, err)
		}
	}
	mustExec(`CREATE TABLE c (_ferretdb_sjson TEXT)`)
	mustExec(`CREATE UNIQUE INDEX c_id ON c (_ferretdb_sjson->"_id")`)
	doc := func(id string, n int) string {
		return fmt.Sprintf(`{"$s":{"p":{"_id":{"t":"string"},"n":{"t":"int"}},"$k":["_id","n"]},"_id":%s,"n":%d}`, id, n)
	}
	ids := []string{`"a"`, `"b c"`, `"say \"hi\""`, `"\u0041x"`, `"县"`}
	for _, id := range ids {
		mustExec(`INSERT INTO c VALUES (?)`, doc(id, 1))
	}
	if _, err := db.Exec(`INSERT INTO c VALUES (?)`, doc(`"a"`, 2)); err == nil {
		t.Fatal("a second document with _id \"a\" was accepted")
	}
	for round := 2; round < 5; round++ {
		for _, id := range ids {
			mustExec(`UPDATE c SET _ferretdb_sjson = ? WHERE _ferretdb_sjson->"_id" = ?`, doc(id, round), id)
		}
	}
	for _, id := range ids {
		var got string
		if err := db.QueryRow(`SELECT _ferretdb_sjson FROM c WHERE _ferretdb_sjson->"_id" = ?`, id).Scan(&got); err != nil {
			t.Fatalf("%s: %s", id, err)
		}
		if got != doc(id, 4) {
			t.Errorf("%s: %s", id, got)
		}
	}
	var check string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
}
