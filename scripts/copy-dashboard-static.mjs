#!/usr/bin/env node
// Part of `npm run build`: copies the dashboard's HTML and CSS (src/dashboard/static) next to its compiled
// scripts in dist/dashboard, where `maml serve` finds them.
import { cpSync, mkdirSync } from 'node:fs';

mkdirSync('dist/dashboard', { recursive: true });
cpSync('src/dashboard/static', 'dist/dashboard', { recursive: true });
