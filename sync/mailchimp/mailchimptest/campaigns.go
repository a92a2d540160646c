package mailchimptest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Campaign is a campaign as the fake holds it.
type Campaign struct {
	ID        string
	Title     string
	Subject   string
	FromName  string
	ReplyTo   string
	ListID    string
	Status    string
	HTML      string
	PlainText string
	Created   time.Time
	Sent      time.Time
}

type campaign struct {
	Campaign
	webID      int
	emailsSent int
}

var campaignTypes = map[string]bool{"regular": true, "plaintext": true, "rss": true, "variate": true}

// Campaigns returns every campaign, in creation order.
func (s *Server) Campaigns() []Campaign {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Campaign, 0, len(s.campaigns))
	for _, c := range s.campaigns {
		s.settle(c)
		out = append(out, c.Campaign)
	}
	return out
}

// DeleteCampaign removes a campaign, as a person deleting a draft in Mailchimp's window.
func (s *Server) DeleteCampaign(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byID[id]; !ok {
		return false
	}
	delete(s.byID, id)
	for i, c := range s.campaigns {
		if c.ID == id {
			s.campaigns = append(s.campaigns[:i], s.campaigns[i+1:]...)
			break
		}
	}
	return true
}

// settle moves a campaign from sending to sent once SendDelay has passed.
func (s *Server) settle(c *campaign) {
	if c.Status == "sending" && !s.opts.Now().Before(c.Sent.Add(s.opts.SendDelay)) {
		c.Status = "sent"
	}
}

func (s *Server) campaignJSON(c *campaign) map[string]any {
	s.settle(c)
	content := "template"
	if c.HTML != "" || c.PlainText != "" {
		content = "html"
	}
	return map[string]any{
		"id": c.ID, "web_id": c.webID, "type": "regular", "create_time": stamp(c.Created),
		"archive_url":      fmt.Sprintf("http://eepurl.com/h%06d", c.webID),
		"long_archive_url": fmt.Sprintf("https://us21.campaign-archive.com/?u=0a1b2c3d4e5f&id=%s", c.ID),
		"status":           c.Status, "emails_sent": c.emailsSent, "send_time": stamp(c.Sent),
		"content_type": content, "needs_block_refresh": false, "resendable": false,
		"recipients": map[string]any{"list_id": c.ListID, "list_is_active": c.ListID != "",
			"list_name": "Hearth community", "segment_text": "", "recipient_count": c.emailsSent},
		"settings": map[string]any{"subject_line": c.Subject, "preview_text": "", "title": c.Title,
			"from_name": c.FromName, "reply_to": c.ReplyTo, "use_conversation": false, "to_name": "",
			"folder_id": "", "authenticate": true, "auto_footer": false, "inline_css": false,
			"auto_tweet": false, "fb_comments": true, "timewarp": false, "template_id": 0,
			"drag_and_drop": false},
		"tracking": map[string]any{"opens": true, "html_clicks": true, "text_clicks": false},
		"_links":   []any{},
	}
}

type campaignBody struct {
	Type       string `json:"type"`
	Recipients struct {
		ListID string `json:"list_id"`
	} `json:"recipients"`
	Settings struct {
		SubjectLine string `json:"subject_line"`
		Title       string `json:"title"`
		FromName    string `json:"from_name"`
		ReplyTo     string `json:"reply_to"`
	} `json:"settings"`
}

func (s *Server) createCampaign(w http.ResponseWriter, r *http.Request, body []byte) {
	var b campaignBody
	if err := json.Unmarshal(body, &b); err != nil {
		badRequest(w, "We encountered an unspecified JSON parsing error.")
		return
	}
	if !campaignTypes[b.Type] {
		invalid(w, FieldError{Field: "type", Message: "Value is not one of the allowed values."})
		return
	}
	if b.Recipients.ListID != "" && b.Recipients.ListID != s.opts.ListID {
		invalid(w, FieldError{Field: "recipients.list_id", Message: "The list does not exist."})
		return
	}
	if len([]rune(b.Settings.SubjectLine)) > 150 {
		invalid(w, FieldError{Field: "settings.subject_line", Message: "Subject line must be 150 characters or fewer."})
		return
	}
	s.mu.Lock()
	s.seq++
	c := &campaign{webID: 100000 + s.seq}
	c.ID = fmt.Sprintf("%010x", uint32(s.seq)*2654435761)
	c.ListID, c.Subject, c.Title = b.Recipients.ListID, b.Settings.SubjectLine, b.Settings.Title
	c.FromName, c.ReplyTo = b.Settings.FromName, b.Settings.ReplyTo
	if c.Title == "" {
		c.Title = "Untitled"
	}
	if c.ListID != "" && c.FromName == "" {
		c.FromName = "Hearth community" // the audience's campaign defaults
	}
	if c.ListID != "" && c.ReplyTo == "" {
		c.ReplyTo = "news@example.org"
	}
	c.Status, c.Created = "save", s.now()
	s.campaigns = append(s.campaigns, c)
	s.byID[c.ID] = c
	out := s.campaignJSON(c)
	s.mu.Unlock()
	s.writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) listCampaigns(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	count, ok1 := intParam(r, "count", 10)
	offset, ok2 := intParam(r, "offset", 0)
	if !ok1 || !ok2 {
		invalid(w, FieldError{Field: "count", Message: "count and offset must be non-negative integers"})
		return
	}
	count = min(count, 1000)
	s.mu.Lock()
	var match []*campaign
	for _, c := range s.campaigns {
		s.settle(c)
		if (q.Get("list_id") == "" || c.ListID == q.Get("list_id")) &&
			(q.Get("status") == "" || c.Status == q.Get("status")) {
			match = append(match, c)
		}
	}
	page := []map[string]any{}
	for k := offset; k < len(match) && k < offset+count; k++ {
		page = append(page, s.campaignJSON(match[k]))
	}
	s.mu.Unlock()
	s.writeJSON(w, r, http.StatusOK, map[string]any{"campaigns": page, "total_items": len(match), "_links": []any{}})
}

func (s *Server) getCampaign(w http.ResponseWriter, r *http.Request, id string) {
	s.mu.Lock()
	c, ok := s.byID[id]
	var out map[string]any
	if ok {
		out = s.campaignJSON(c)
	}
	s.mu.Unlock()
	if !ok {
		notFound(w)
		return
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) deleteCampaign(w http.ResponseWriter, id string) {
	if !s.DeleteCampaign(id) {
		notFound(w)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) putContent(w http.ResponseWriter, r *http.Request, id string, body []byte) {
	var b struct {
		HTML      *string `json:"html"`
		PlainText *string `json:"plain_text"`
	}
	if err := json.Unmarshal(body, &b); err != nil {
		badRequest(w, "We encountered an unspecified JSON parsing error.")
		return
	}
	s.mu.Lock()
	c, ok := s.byID[id]
	if !ok {
		s.mu.Unlock()
		notFound(w)
		return
	}
	s.settle(c)
	if c.Status != "save" {
		s.mu.Unlock()
		badRequest(w, "This campaign's content cannot be changed because it has been sent.")
		return
	}
	if b.HTML != nil {
		c.HTML = *b.HTML
	}
	if b.PlainText != nil {
		c.PlainText = *b.PlainText
	}
	out := map[string]any{"html": c.HTML, "plain_text": c.PlainText, "archive_html": c.HTML, "_links": []any{}}
	s.mu.Unlock()
	s.writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) send(w http.ResponseWriter, id string) {
	s.mu.Lock()
	c, ok := s.byID[id]
	if !ok {
		s.mu.Unlock()
		notFound(w)
		return
	}
	s.settle(c)
	if c.Status != "save" {
		s.mu.Unlock()
		problem(w, s.opts.AlreadySentStatus, "Bad Request", s.opts.AlreadySentDetail, nil)
		return
	}
	var missing []FieldError
	if c.ListID == "" {
		missing = append(missing, FieldError{Field: "recipients.list_id", Message: "Please choose an audience."})
	}
	if c.Subject == "" {
		missing = append(missing, FieldError{Field: "settings.subject_line", Message: "Please enter a subject line."})
	}
	if c.HTML == "" && c.PlainText == "" {
		missing = append(missing, FieldError{Field: "content", Message: "Please add content."})
	}
	if len(missing) > 0 {
		s.mu.Unlock()
		problem(w, http.StatusBadRequest, "Bad Request", "Your Campaign is not ready to send.", missing)
		return
	}
	for i := range s.members {
		if s.members[i].status == "subscribed" {
			c.emailsSent++
		}
	}
	c.Status, c.Sent = "sending", s.now()
	s.settle(c)
	text := c.PlainText
	if text == "" {
		text = c.HTML
	}
	s.created = append(s.created, c.Subject+"\n"+text)
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}
