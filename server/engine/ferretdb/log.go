package main

import (
	"context"
	"log/slog"
)

// lazyHandler hands With/WithGroup to the real handler only when a record is logged. FerretDB's SQL layer calls
// logger.With(args...) twice per statement before a Debug line that is then dropped, and the text handler formats the
// attributes at With: every update quoted the whole document JSON for nothing (~6 % of an update's CPU, measured).
type lazyHandler struct {
	inner slog.Handler
	ops   []func(slog.Handler) slog.Handler
}

func (h *lazyHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.inner.Enabled(ctx, level)
}

func (h *lazyHandler) Handle(ctx context.Context, r slog.Record) error {
	inner := h.inner
	for _, op := range h.ops {
		inner = op(inner)
	}
	return inner.Handle(ctx, r)
}

func (h *lazyHandler) with(op func(slog.Handler) slog.Handler) *lazyHandler {
	ops := make([]func(slog.Handler) slog.Handler, len(h.ops), len(h.ops)+1)
	copy(ops, h.ops)
	return &lazyHandler{inner: h.inner, ops: append(ops, op)}
}

func (h *lazyHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return h.with(func(in slog.Handler) slog.Handler { return in.WithAttrs(attrs) })
}

func (h *lazyHandler) WithGroup(name string) slog.Handler {
	return h.with(func(in slog.Handler) slog.Handler { return in.WithGroup(name) })
}
