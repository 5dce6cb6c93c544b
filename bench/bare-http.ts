/** Baseline for the command benchmark: an empty Express 5 JSON handler. */
import express from 'express';
import { answerLoopDelay } from './loop-delay.ts';

answerLoopDelay();

const app = express();
app.post('/x', express.json(), (_req, res) => res.json({ ok: true }));
app.get('/healthz', (_req, res) => res.json({ ok: true }));
app.listen(Number(process.env.PORT));

// Ends on SIGTERM (its default action), or with the benchmark if that dies first.
process.once('disconnect', () => process.exit(0));
