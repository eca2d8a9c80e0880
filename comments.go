package kyc

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/kycsdk/kyc/internal/richtext"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

// CommentView is a comment as an operator reads it: the stored comment, a
// plain-text preview of its rich text, and whether this operator may edit
// or delete it (only its author may: seed 003, 3.4).
type CommentView struct {
	storage.Comment
	Preview  string `json:"preview"`
	Editable bool   `json:"editable"`
}

// previewRunes bounds Preview.
const previewRunes = 200

// AddComment adds a rich-text comment to a profile, authored by the
// operator. The rich text is sanitised on write (richtext.Sanitize), so what
// is stored and shown holds no script. Operators with the watcher scope
// read every comment but cannot add any (seed 003, 3.4): the default
// policy grants them no write.
func (s *Service) AddComment(ctx context.Context, op Operator, profileID, body string) (CommentView, error) {
	s = s.resolve(ctx, op)
	if err := s.authorize(op, OpAddComment); err != nil {
		return CommentView{}, err
	}
	body, err := s.checkBody(body)
	if err != nil {
		return CommentView{}, err
	}
	now := s.stamp()
	c := storage.Comment{ID: s.newID(), ProfileID: profileID, Author: op.User, Body: body, CreatedAt: now}
	ev := s.commentEvent(op, EventCommentAdded, profileID, c.ID, now)
	if err := s.committed(ctx, "add comment", op, profileID, 0, ev, s.store.AddComment(ctx, op.Tenant, &c, ev)); err != nil {
		return CommentView{}, err
	}
	return s.view(op, c), nil
}

// EditComment replaces the body of the operator's own comment, sanitised
// as AddComment does; the edit is logged and emitted (who, when).
func (s *Service) EditComment(ctx context.Context, op Operator, profileID, commentID, body string) (CommentView, error) {
	s = s.resolve(ctx, op)
	if err := s.authorize(op, OpEditComment); err != nil {
		return CommentView{}, err
	}
	body, err := s.checkBody(body)
	if err != nil {
		return CommentView{}, err
	}
	c, err := s.ownComment(ctx, op, profileID, commentID)
	if err != nil {
		return CommentView{}, err
	}
	c.Body, c.ModifiedAt = body, s.stamp()
	ev := s.commentEvent(op, EventCommentEdited, profileID, c.ID, c.ModifiedAt)
	if err := s.committed(ctx, "edit comment", op, profileID, 0, ev, s.store.UpdateComment(ctx, op.Tenant, &c, ev)); err != nil {
		return CommentView{}, err
	}
	return s.view(op, c), nil
}

// DeleteComment deletes the operator's own comment; the deletion is logged
// and emitted (who, when).
func (s *Service) DeleteComment(ctx context.Context, op Operator, profileID, commentID string) error {
	s = s.resolve(ctx, op)
	if err := s.authorize(op, OpDeleteComment); err != nil {
		return err
	}
	if _, err := s.ownComment(ctx, op, profileID, commentID); err != nil {
		return err
	}
	ev := s.commentEvent(op, EventCommentDeleted, profileID, commentID, s.stamp())
	return s.committed(ctx, "delete comment", op, profileID, 0, ev, s.store.DeleteComment(ctx, op.Tenant, profileID, commentID, ev))
}

// commentEvent is the feed event of a change to comment commentID.
func (s *Service) commentEvent(op Operator, kind EventKind, profileID, commentID string, at profile.Timestamp) *storage.Event {
	ev := s.newEvent(op, s.newID(), kind, profileID, 0, at, nil)
	ev.CommentID = commentID
	return ev
}

// Comments lists every comment on a profile, oldest first; any operator of
// the tenant reads them all.
func (s *Service) Comments(ctx context.Context, op Operator, profileID string) ([]CommentView, error) {
	s = s.resolve(ctx, op)
	if err := s.authorize(op, OpComments); err != nil {
		return nil, err
	}
	cs, err := s.store.ListComments(ctx, op.Tenant, profileID)
	if err != nil {
		return nil, err
	}
	out := make([]CommentView, len(cs))
	for i, c := range cs {
		out[i] = s.view(op, c)
	}
	return out, nil
}

func (s *Service) ownComment(ctx context.Context, op Operator, profileID, commentID string) (storage.Comment, error) {
	cs, err := s.store.ListComments(ctx, op.Tenant, profileID)
	if err != nil {
		return storage.Comment{}, err
	}
	for _, c := range cs {
		if c.ID != commentID {
			continue
		}
		if c.Author != op.User {
			return storage.Comment{}, fmt.Errorf("%w: only the author edits or deletes a comment", ErrForbidden)
		}
		return c, nil
	}
	return storage.Comment{}, driver.Wrap("get comment", commentID, storage.ErrNotFound)
}

// checkBody bounds and sanitises a comment's rich text; what it returns is
// what is stored.
func (s *Service) checkBody(body string) (string, error) {
	switch {
	case len(body) > s.maxBody:
		return "", fmt.Errorf("%w: comment body is %d bytes, the limit is %d", ErrInvalidInput, len(body), s.maxBody)
	case !profile.StorableText(body):
		return "", fmt.Errorf("%w: comment body is not valid UTF-8 or contains a NUL character", ErrInvalidInput)
	}
	clean := richtext.Sanitize(body)
	switch {
	case strings.TrimSpace(richtext.PlainText(clean)) == "":
		return "", fmt.Errorf("%w: comment body is empty", ErrInvalidInput)
	case len(clean) > s.maxBody:
		// Repairing broken markup can reopen tags: the stored text is
		// what the limit bounds.
		return "", fmt.Errorf("%w: sanitised comment body is %d bytes, the limit is %d", ErrInvalidInput, len(clean), s.maxBody)
	}
	return clean, nil
}

func (s *Service) view(op Operator, c storage.Comment) CommentView {
	preview := richtext.PlainText(c.Body)
	if utf8.RuneCountInString(preview) > previewRunes {
		preview = string([]rune(preview)[:previewRunes]) + "…"
	}
	return CommentView{Comment: c, Preview: preview, Editable: c.Author == op.User && s.permissions.Allows(op.Scopes, s.operations[OpEditComment])}
}
