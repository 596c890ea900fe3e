package transport

import "time"

// ClockGranularity is G of RFC 6298: the resolution of the clock the RTT is
// measured with. The simulated clock counts nanoseconds, but RFC 6298 2.
// makes G a floor on the variance term, and 1 ms is what common stacks use.
const ClockGranularity = time.Millisecond

// rttEstimator computes the retransmission timeout of RFC 6298 2.
type rttEstimator struct {
	srtt, rttvar time.Duration
	rto          time.Duration
	measured     bool
	minRTO       time.Duration
	maxRTO       time.Duration
}

func (e *rttEstimator) init(initial, minRTO, maxRTO time.Duration) {
	e.minRTO, e.maxRTO = minRTO, maxRTO
	e.rto = e.clamp(initial)
}

// sample folds in one round-trip time measurement r.
func (e *rttEstimator) sample(r time.Duration) {
	if r < 0 {
		r = 0
	}
	if !e.measured {
		// RFC 6298 2.2: SRTT <- R, RTTVAR <- R/2.
		e.srtt = r
		e.rttvar = r / 2
		e.measured = true
	} else {
		// RFC 6298 2.3, with alpha = 1/8 and beta = 1/4, RTTVAR first
		// because it uses the old SRTT:
		// RTTVAR <- (1 - beta) * RTTVAR + beta * |SRTT - R'|
		// SRTT <- (1 - alpha) * SRTT + alpha * R'
		d := e.srtt - r
		if d < 0 {
			d = -d
		}
		e.rttvar = (3*e.rttvar + d) / 4
		e.srtt = (7*e.srtt + r) / 8
	}
	// RFC 6298 2.2/2.3: RTO <- SRTT + max(G, K*RTTVAR), K = 4.
	e.rto = e.clamp(e.srtt + max(ClockGranularity, 4*e.rttvar))
}

// backoff doubles the RTO after a timeout (RFC 6298 5.5), up to the maximum.
func (e *rttEstimator) backoff() { e.rto = e.clamp(2 * e.rto) }

// clamp applies the minimum (RFC 6298 2.4) and maximum (2.5) RTO.
func (e *rttEstimator) clamp(d time.Duration) time.Duration {
	return min(max(d, e.minRTO), e.maxRTO)
}
