package main

// FerretDB 1.24's SQLite backend applies an update by reading the document into Go, changing it and writing it
// back, without a lock: 100 concurrent {$inc: {n: 1}} on one _id leave n at about 15 (measured). MongoDB makes
// every single-document update atomic, and the product's exactly-once rules (seat counters, invite uses, points
// histograms) rely on that. This proxy restores it: it sits in front of FerretDB on the address clients use and
// runs write commands one at a time. Reads take no lock: SQLite's WAL gives each read a committed snapshot, so a
// read beside a write sees the document before or after it, as on MongoDB; making reads wait for the write queue
// (as a first version did) only added the queue's length to every read under load.

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
)

const (
	opMsg       = 2013
	maxMsgBytes = 48 * 1024 * 1024
	moreToCome  = 1 << 1
)

// Commands that never change data run at once; anything else waits for the write lock.
var readCommands = map[string]bool{
	"find": true, "aggregate": true, "count": true, "distinct": true, "getMore": true, "killCursors": true,
	"listCollections": true, "listIndexes": true, "listDatabases": true, "dbStats": true, "collStats": true,
	"dataSize": true, "explain": true, "endSessions": true,
}

// Handshake and monitoring commands take no lock at all.
var freeCommands = map[string]bool{
	"hello": true, "isMaster": true, "ismaster": true, "ping": true, "buildInfo": true, "buildinfo": true,
	"saslStart": true, "saslContinue": true, "getParameter": true, "getLog": true, "connectionStatus": true,
	"whatsmyuri": true, "getCmdLineOpts": true, "hostInfo": true,
}

type serializer struct {
	backend string
	lock    sync.Mutex
	log     *slog.Logger
}

func (s *serializer) serve(l net.Listener) {
	for {
		client, err := l.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				s.log.Error("accept failed", "error", err)
			}
			return
		}
		go s.pipe(client)
	}
}

func readMessage(r io.Reader) ([]byte, error) {
	var header [16]byte
	if _, err := io.ReadFull(r, header[:]); err != nil {
		return nil, err
	}
	length := int(int32(binary.LittleEndian.Uint32(header[0:4])))
	if length < 16 || length > maxMsgBytes {
		return nil, fmt.Errorf("bad message length %d", length)
	}
	msg := make([]byte, length)
	copy(msg, header[:])
	if _, err := io.ReadFull(r, msg[16:]); err != nil {
		return nil, err
	}
	return msg, nil
}

func opCode(msg []byte) int32 { return int32(binary.LittleEndian.Uint32(msg[12:16])) }

func flagBits(msg []byte) uint32 {
	if opCode(msg) != opMsg || len(msg) < 20 {
		return 0
	}
	return binary.LittleEndian.Uint32(msg[16:20])
}

// commandName finds the OP_MSG body section (kind 0) and returns the name of its first element.
func commandName(msg []byte) string {
	if opCode(msg) != opMsg {
		return ""
	}
	pos := 20
	for pos < len(msg) {
		kind := msg[pos]
		pos++
		if pos+4 > len(msg) {
			return ""
		}
		size := int(int32(binary.LittleEndian.Uint32(msg[pos : pos+4])))
		if kind == 1 {
			pos += size
			continue
		}
		// BSON document: int32 size, then elements: type byte, cstring name, value.
		start := pos + 4 + 1
		for end := start; end < len(msg) && end < pos+size; end++ {
			if msg[end] == 0 {
				return string(msg[start:end])
			}
		}
		return ""
	}
	return ""
}

func (s *serializer) pipe(client net.Conn) {
	defer client.Close()
	server, err := net.Dial("tcp", s.backend)
	if err != nil {
		s.log.Error("backend dial failed", "error", err)
		return
	}
	defer server.Close()
	// Buffered: a message's header and body come in one read instead of two (a syscall each, both ways).
	fromClient, fromServer := bufio.NewReaderSize(client, 64<<10), bufio.NewReaderSize(server, 64<<10)
	for {
		request, err := readMessage(fromClient)
		if err != nil {
			return
		}
		name := commandName(request)
		unlock := func() {}
		switch {
		case freeCommands[name] || readCommands[name] || opCode(request) != opMsg:
		default:
			s.lock.Lock()
			unlock = s.lock.Unlock
		}
		err = s.roundTrip(client, server, fromServer, request)
		unlock()
		if err != nil {
			return
		}
	}
}

func (s *serializer) roundTrip(client, server net.Conn, fromServer io.Reader, request []byte) error {
	if _, err := server.Write(request); err != nil {
		return err
	}
	if flagBits(request)&moreToCome != 0 {
		return nil // fire-and-forget write: no reply comes
	}
	for {
		reply, err := readMessage(fromServer)
		if err != nil {
			return err
		}
		if _, err := client.Write(reply); err != nil {
			return err
		}
		if flagBits(reply)&moreToCome == 0 {
			return nil
		}
	}
}
