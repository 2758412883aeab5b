//! The engines that decide scores and money, on a small ente worked out by hand: every figure
//! asserted here was computed on paper from the rules (SPEC §3–4), and the arithmetic is in the
//! comments beside it. If an engine changes what it pays or scores, these tests say where.

mod ente;
mod indices;
mod managers;
mod premi;
mod scores;
