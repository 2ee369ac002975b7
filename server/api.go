package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/srex-dev/lipservice-go/policy"
	"github.com/srex-dev/lipservice-go/policy/generate"
	"github.com/srex-dev/lipservice-go/server/store"
	"github.com/srex-dev/lipservice-go/signature"
)

// serviceCapMsg answers a request that would create a service beyond the
// team's cap (store.Options.MaxServicesPerTeam).
const serviceCapMsg = "the team has reached its cap on services; reuse or remove one"

// maxTemplateBytes caps a stored template; longer ones are truncated.
const maxTemplateBytes = 1024

// decode reads a JSON body of at most maxBody bytes into v, answering the
// request on failure (413 for a body over the limit, 400 otherwise).
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.maxBody)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if dec.More() {
			err = errors.New("trailing data after the JSON object")
		} else {
			_, err = io.Copy(io.Discard, r.Body) // surface an over-limit tail
		}
	}
	if err == nil {
		return true
	}
	s.bodyError(w, err)
	return false
}

// bodyError answers a request whose body could not be decoded: 413 for a
// body over the limit, 400 otherwise.
func (s *Server) bodyError(w http.ResponseWriter, err error) {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeError(w, http.StatusRequestEntityTooLarge, "request body larger than "+strconv.FormatInt(s.cfg.maxBody, 10)+" bytes")
		return
	}
	if errors.Is(err, io.EOF) {
		writeError(w, http.StatusBadRequest, "empty request body")
		return
	}
	writeError(w, http.StatusBadRequest, "invalid JSON body: "+err.Error())
}

// serviceJSON is the API form of a service.
type serviceJSON struct {
	Name            string    `json:"name"`
	TeamID          int64     `json:"team_id"`
	Description     string    `json:"description"`
	TargetKeep      float64   `json:"target_keep"`
	TargetPerSecond float64   `json:"target_per_second"`
	CreatedAt       time.Time `json:"created_at"`
	StatsAt         time.Time `json:"stats_at,omitzero"`
}

func toServiceJSON(v store.Service) serviceJSON {
	return serviceJSON{Name: v.Name, TeamID: v.TeamID, Description: v.Description, TargetKeep: v.TargetKeep,
		TargetPerSecond: v.TargetPerSecond, CreatedAt: v.CreatedAt, StatsAt: v.StatsAt}
}

type serviceRequest struct {
	Name            string  `json:"name"`
	TeamID          int64   `json:"team_id"`
	Description     string  `json:"description"`
	TargetKeep      float64 `json:"target_keep"`
	TargetPerSecond float64 `json:"target_per_second"`
}

// maxDescriptionBytes caps a service description.
const maxDescriptionBytes = 1024

// checkService returns what is wrong with the settings of a service
// request, or "".
func checkService(req serviceRequest) string {
	if len(req.Description) > maxDescriptionBytes || !utf8.ValidString(req.Description) {
		return "description must be valid UTF-8 of at most " + strconv.Itoa(maxDescriptionBytes) + " bytes"
	}
	return checkTargets(req.TargetKeep, req.TargetPerSecond)
}

func checkTargets(keep, perSecond float64) string {
	if math.IsNaN(keep) || keep < 0 || keep > 1 {
		return "target_keep must be in [0, 1] (0: server default)"
	}
	if math.IsNaN(perSecond) || math.IsInf(perSecond, 0) || perSecond < 0 {
		return "target_per_second must be a non-negative number"
	}
	return ""
}

func forbiddenTeam(w http.ResponseWriter, body, team int64) bool {
	if body != 0 && body != team {
		writeError(w, http.StatusForbidden, "api key is not valid for team "+strconv.FormatInt(body, 10))
		return true
	}
	return false
}

func (s *Server) createService(w http.ResponseWriter, r *http.Request, team int64) {
	var req serviceRequest
	if !s.decode(w, r, &req) || forbiddenTeam(w, req.TeamID, team) {
		return
	}
	if !validName(req.Name) {
		writeError(w, http.StatusBadRequest, nameRule)
		return
	}
	if msg := checkService(req); msg != "" {
		writeError(w, http.StatusBadRequest, msg)
		return
	}
	v, err := s.st.CreateService(r.Context(), store.Service{TeamID: team, Name: req.Name, Description: req.Description,
		TargetKeep: req.TargetKeep, TargetPerSecond: req.TargetPerSecond})
	if errors.Is(err, store.ErrExists) {
		writeError(w, http.StatusConflict, "service "+strconv.Quote(req.Name)+" already exists")
		return
	}
	if errors.Is(err, store.ErrLimit) {
		writeError(w, http.StatusConflict, serviceCapMsg)
		return
	}
	if err != nil {
		s.internalError(w, err)
		return
	}
	w.Header().Set("Location", "/api/v1/services/"+v.Name)
	writeJSON(w, http.StatusCreated, toServiceJSON(v))
}

func (s *Server) updateService(w http.ResponseWriter, r *http.Request, team int64) {
	name := r.PathValue("service")
	var req serviceRequest
	if !s.decode(w, r, &req) || forbiddenTeam(w, req.TeamID, team) {
		return
	}
	if req.Name != "" && req.Name != name {
		writeError(w, http.StatusBadRequest, "services cannot be renamed")
		return
	}
	if msg := checkService(req); msg != "" {
		writeError(w, http.StatusBadRequest, msg)
		return
	}
	// PUT replaces the service's settings: a field left out takes its
	// zero value, as on creation.
	err := s.st.UpdateService(r.Context(), store.Service{TeamID: team, Name: name, Description: req.Description,
		TargetKeep: req.TargetKeep, TargetPerSecond: req.TargetPerSecond})
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "service "+strconv.Quote(name)+" not found")
		return
	}
	if err != nil {
		s.internalError(w, err)
		return
	}
	s.getService(w, r, team)
}

func (s *Server) listServices(w http.ResponseWriter, r *http.Request, team int64) {
	vs, err := s.st.Services(r.Context(), team)
	if err != nil {
		s.internalError(w, err)
		return
	}
	out := make([]serviceJSON, len(vs))
	for i, v := range vs {
		out[i] = toServiceJSON(v)
	}
	writeJSON(w, http.StatusOK, map[string]any{"services": out})
}

// service looks up the {service} path value in team, answering 400/404.
func (s *Server) service(w http.ResponseWriter, r *http.Request, team int64) (store.Service, bool) {
	name := r.PathValue("service")
	if !validName(name) {
		writeError(w, http.StatusBadRequest, nameRule)
		return store.Service{}, false
	}
	v, err := s.st.Service(r.Context(), team, name)
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "service "+strconv.Quote(name)+" not found")
		return v, false
	}
	if err != nil {
		s.internalError(w, err)
		return v, false
	}
	return v, true
}

func (s *Server) getService(w http.ResponseWriter, r *http.Request, team int64) {
	if v, ok := s.service(w, r, team); ok {
		writeJSON(w, http.StatusOK, toServiceJSON(v))
	}
}

// patternJSON is a pattern with its current rate.
type patternJSON struct {
	Signature    string    `json:"signature"`
	Template     string    `json:"template"`
	Count        int64     `json:"count"`
	SampledCount int64     `json:"sampled_count"`
	WindowCount  int64     `json:"window_count"`
	FirstSeen    time.Time `json:"first_seen"`
	LastSeen     time.Time `json:"last_seen"`
	LevelCounts  struct {
		Debug    int64 `json:"DEBUG"`
		Info     int64 `json:"INFO"`
		Warning  int64 `json:"WARNING"`
		Error    int64 `json:"ERROR"`
		Critical int64 `json:"CRITICAL"`
	} `json:"level_counts"`
	Rate float64 `json:"rate"`
}

func (s *Server) listPatterns(w http.ResponseWriter, r *http.Request, team int64) {
	v, ok := s.service(w, r, team)
	if !ok {
		return
	}
	limit := 100
	if q := r.URL.Query().Get("limit"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n <= 0 || n > 10000 {
			writeError(w, http.StatusBadRequest, "limit must be an integer in [1, 10000]")
			return
		}
		limit = n
	}
	ps, rates, err := s.patternsWithRates(r, v, limit)
	if err != nil {
		s.internalError(w, err)
		return
	}
	out := make([]patternJSON, len(ps))
	for i, p := range ps {
		o := &out[i]
		o.Signature, o.Template, o.Count, o.SampledCount, o.WindowCount = p.Signature, p.Template, p.Count, p.Sampled, p.WindowCount
		o.FirstSeen, o.LastSeen = p.FirstSeen, p.LastSeen
		o.LevelCounts.Debug, o.LevelCounts.Info, o.LevelCounts.Warning = p.Levels.Debug, p.Levels.Info, p.Levels.Warning
		o.LevelCounts.Error, o.LevelCounts.Critical = p.Levels.Error, p.Levels.Critical
		o.Rate = rates[i]
	}
	writeJSON(w, http.StatusOK, map[string]any{"service": v.Name, "window_seconds": s.cfg.window.Seconds(), "patterns": out})
}

// patternsWithRates returns a service's patterns over the window and the rate
// the latest policy gives each: the rate of the pattern its pattern_map
// maps it to, else its own (1 when unlisted or no policy).
func (s *Server) patternsWithRates(r *http.Request, v store.Service, limit int) ([]store.Pattern, []float64, error) {
	now := s.cfg.now()
	ps, err := s.st.Patterns(r.Context(), v.ID, store.PatternQuery{Since: now.Add(-s.cfg.window), RecentSince: now.Add(-s.cfg.recent), Limit: limit})
	if err != nil {
		return nil, nil, err
	}
	rates := make([]float64, len(ps))
	var pol *policy.Policy
	if rec, err := s.st.LatestPolicy(r.Context(), v.ID); err == nil {
		pol, _ = policy.Parse(rec.Body)
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, nil, err
	}
	for i, p := range ps {
		rates[i] = 1
		if pol == nil {
			continue
		}
		if sig, err := signature.Parse(p.Signature); err == nil {
			if id, ok := pol.PatternMap[sig]; ok {
				sig = id // rated under the fleet pattern it belongs to
			}
			if rate, ok := pol.PatternRates[sig]; ok {
				rates[i] = rate
			}
		}
	}
	return ps, rates, nil
}

func (s *Server) getPolicy(w http.ResponseWriter, r *http.Request, team int64) {
	name := r.PathValue("service")
	_, rec, state := s.cache.policy(team, name)
	if state == stale {
		s.cache.refresh(policyKey{team, name}, func(ctx context.Context) { s.refreshPolicy(ctx, team, name) })
	}
	if state == miss {
		v, found := s.service(w, r, team)
		if !found {
			return
		}
		var err error
		rec, err = s.st.LatestPolicy(r.Context(), v.ID)
		if errors.Is(err, store.ErrNotFound) {
			writeError(w, http.StatusNotFound, "no policy generated yet for service "+strconv.Quote(v.Name))
			return
		}
		if err != nil {
			s.internalError(w, err)
			return
		}
		s.cache.putPolicy(v, rec)
	}
	w.Header().Set("ETag", rec.ETag)
	w.Header().Set("Cache-Control", "no-cache")
	if etagMatch(r.Header.Get("If-None-Match"), rec.ETag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(rec.Body)))
	w.WriteHeader(http.StatusOK)
	w.Write(rec.Body)
}

// refreshPolicy reads the latest policy of team's service name into the
// cache (a background refresh of a stale entry); when the service or its
// policy is gone it drops the entry. Errors go to the error handler.
func (s *Server) refreshPolicy(ctx context.Context, team int64, name string) {
	v, err := s.st.Service(ctx, team, name)
	var rec store.PolicyRecord
	if err == nil {
		rec, err = s.st.LatestPolicy(ctx, v.ID)
	}
	switch {
	case err == nil:
		s.cache.putPolicy(v, rec)
	case errors.Is(err, store.ErrNotFound):
		s.cache.dropPolicy(team, name)
	case !errors.Is(err, context.Canceled):
		s.fail(err)
	}
}

// etagMatch implements the If-None-Match comparison (weak, RFC 9110 13.1.2)
// for a header that may list several tags or "*".
func etagMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}

// policyVersionJSON is one entry of a policy history.
type policyVersionJSON struct {
	Version       int64           `json:"version"`
	ETag          string          `json:"etag"`
	CreatedAt     time.Time       `json:"created_at"`
	GeneratedBy   string          `json:"generated_by"`
	ProjectedKeep float64         `json:"projected_keep"`
	Policy        json.RawMessage `json:"policy"`
}

// History paging: a page holds at most maxHistoryLimit versions (larger
// limits are lowered to it), and the handler loads historyBatch versions at
// a time, so a request holds at most historyBatch policy bodies in memory
// and no database connection while it writes to the client.
const (
	maxHistoryLimit = 100
	historyBatch    = 4
)

// policyHistory streams a page of a service's policy history, newest first:
// {"service":..., "policies":[...], "next_before":N}. next_before is the
// cursor of the next page (pass it as ?before=N) and is 0 on the last page.
func (s *Server) policyHistory(w http.ResponseWriter, r *http.Request, team int64) {
	v, ok := s.service(w, r, team)
	if !ok {
		return
	}
	limit := 50
	if q := r.URL.Query().Get("limit"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n <= 0 {
			writeError(w, http.StatusBadRequest, "limit must be a positive integer (pages hold at most "+strconv.Itoa(maxHistoryLimit)+" versions)")
			return
		}
		limit = min(n, maxHistoryLimit)
	}
	var before int64
	if q := r.URL.Query().Get("before"); q != "" {
		n, err := strconv.ParseInt(q, 10, 64)
		if err != nil || n <= 0 {
			writeError(w, http.StatusBadRequest, "before must be a positive version number")
			return
		}
		before = n
	}
	// Batches ask for one version more than the page still needs, so the
	// extra one tells whether an older page exists. The first batch is read
	// before the status line, so that a database failure is answered 500.
	want := min(limit+1, historyBatch)
	batch, err := s.st.PolicyHistoryBefore(r.Context(), v.ID, before, want)
	if err != nil {
		s.internalError(w, err)
		return
	}
	name, _ := json.Marshal(v.Name)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	buf := make([]byte, 0, 512)
	buf = append(append(append(buf, `{"service":`...), name...), `,"policies":[`...)
	sent := 0
	var next int64
pages:
	for {
		for _, p := range batch {
			if sent == limit {
				next = before // an older version exists
				break
			}
			item, err := json.Marshal(policyVersionJSON{Version: p.Version, ETag: p.ETag, CreatedAt: p.CreatedAt,
				GeneratedBy: p.GeneratedBy, ProjectedKeep: p.ProjectedKeep, Policy: json.RawMessage(p.Body)})
			if err != nil {
				s.fail(err) // the status line is sent: end the array early
				break pages
			}
			if sent > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, item...)
			if _, err := w.Write(buf); err != nil {
				return // the client went away
			}
			buf = buf[:0]
			sent++
			before = p.Version
		}
		if next != 0 || len(batch) < want {
			break
		}
		batch = nil // release the bodies before loading the next batch
		want = min(limit-sent+1, historyBatch)
		if batch, err = s.st.PolicyHistoryBefore(r.Context(), v.ID, before, want); err != nil {
			s.fail(err)
			break
		}
	}
	buf = append(buf, `],"next_before":`...)
	buf = strconv.AppendInt(buf, next, 10)
	buf = append(buf, "}\n"...)
	w.Write(buf)
}

func (s *Server) generatePolicy(w http.ResponseWriter, r *http.Request, team int64) {
	v, ok := s.service(w, r, team)
	if !ok {
		return
	}
	var target generate.Target
	if r.ContentLength != 0 {
		if !s.decode(w, r, &target) {
			return
		}
	}
	res, err := s.Generate(r.Context(), v, target)
	var ge *GenerateError
	if errors.As(err, &ge) {
		writeError(w, ge.Status, ge.Msg)
		return
	}
	if err != nil {
		s.internalError(w, err)
		return
	}
	w.Header().Set("ETag", res.Record.ETag)
	writeJSON(w, http.StatusCreated, res.JSON())
}

// postStats decodes a stats report (at most WithMaxConcurrentReports at
// once), queues it for the stats writers and answers 202 once it is
// committed: an acknowledged report is never lost. A full queue is
// answered 503 with Retry-After.
func (s *Server) postStats(w http.ResponseWriter, r *http.Request, team int64) {
	var sr store.Report
	ok := false
	s.limitWrites(func(w http.ResponseWriter, r *http.Request, team int64) {
		sr, ok = s.readStats(w, r, team)
	})(w, r, team)
	if !ok {
		return
	}
	res, err := s.queue.submit(r.Context(), team, sr)
	switch {
	case errors.Is(err, errQueueFull):
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusServiceUnavailable, "too many stats reports queued; retry later")
		return
	case errors.Is(err, errQueueClosed): // after Shutdown: write it here
		res.RecordResult, res.Err = s.st.RecordStats(r.Context(), team, sr)
	case err != nil: // the client went away; the report is still written
		return
	}
	if errors.Is(res.Err, store.ErrLimit) {
		writeError(w, http.StatusConflict, "service_name: "+serviceCapMsg)
		return
	}
	if res.Err != nil {
		s.internalError(w, res.Err)
		return
	}
	s.reports.Add(1)
	writeJSON(w, http.StatusAccepted, map[string]any{"accepted": res.Stored, "overflow": res.Overflow})
}

// readStats decodes and checks a stats report, answering the request when
// it is refused, and returns it in the store's form.
func (s *Server) readStats(w http.ResponseWriter, r *http.Request, team int64) (store.Report, bool) {
	var rep policy.StatsReport
	if !s.decodeStats(w, r, &rep) || forbiddenTeam(w, rep.TeamID, team) {
		return store.Report{}, false
	}
	if !validName(rep.ServiceName) {
		writeError(w, http.StatusBadRequest, "service_name: "+nameRule)
		return store.Report{}, false
	}
	// Signatures of another algorithm version would be stored as patterns
	// that match nothing the server knows: refuse, never mix them.
	if v := rep.SignatureVersion; v != 0 && v != signature.Version {
		writeError(w, http.StatusConflict, "signature_version: report made with signature version "+
			strconv.Itoa(v)+", this server uses version "+strconv.Itoa(signature.Version))
		return store.Report{}, false
	}
	now := s.cfg.now()
	at := rep.Timestamp
	// A missing timestamp or one off by more than a day or in the future
	// (clock skew) files the report under the server's clock.
	if !plausible(at, now) {
		at = now
	}
	sr := store.Report{Service: rep.ServiceName, Time: at, Patterns: make([]store.PatternCount, 0, len(rep.Patterns))}
	var sum int64
	for _, p := range rep.Patterns {
		tpl := p.Template
		if len(tpl) > maxTemplateBytes {
			tpl = tpl[:maxTemplateBytes]
		}
		if !utf8.ValidString(tpl) {
			tpl = strings.ToValidUTF8(tpl, "\uFFFD")
		}
		c := clamp(p.Count)
		sampled := min(clamp(p.SampledCount), c)
		lc := p.LevelCounts
		// A pattern's times follow the report time's rule: a missing or
		// implausible one is the (accepted) report time.
		first, last := p.FirstSeen, p.LastSeen
		if !plausible(first, now) {
			first = at
		}
		if !plausible(last, now) {
			last = at
		}
		if first.After(last) {
			first, last = last, first
		}
		sr.Patterns = append(sr.Patterns, store.PatternCount{
			Signature: p.Signature.String(), Template: tpl, Count: c, Sampled: sampled,
			FirstSeen: first, LastSeen: last,
			Levels: store.Levels{Debug: clamp(lc.Debug), Info: clamp(lc.Info), Warning: clamp(lc.Warning), Error: clamp(lc.Error), Critical: clamp(lc.Critical)},
		})
		sum = store.SatAdd(sum, c)
	}
	sr.TotalLogs = max(clamp(rep.TotalLogs), sum)
	return sr, true
}

// plausible reports whether a time sent by an instance can be stored as
// is: it is set, at most a day before now, and at most 5 minutes after now
// (clock skew). Instances send their report time and each pattern's first
// and last time; a time that is not plausible is replaced by the report
// time (by the server's clock when the report time itself is not).
func plausible(t, now time.Time) bool {
	return !t.IsZero() && !t.After(now.Add(5*time.Minute)) && !t.Before(now.Add(-24*time.Hour))
}

// MaxReportCount is the largest count one stats report can add to a total:
// a posted count (of records, kept records or one level) above it is taken
// as MaxReportCount. It is 2^53, the largest integer up to which float64,
// in which the policy generator works, is exact; 9.0e15 records between two
// reports is beyond any real instance. The stored running totals saturate
// at [store.MaxCount] (see [store.SatAdd]), so repeated maximal reports
// leave every page and the generator working.
const MaxReportCount = 1 << 53

// clamp converts a wire count to the store's int64, saturating at
// [MaxReportCount].
func clamp(n uint64) int64 {
	return int64(min(n, MaxReportCount))
}
