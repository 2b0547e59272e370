/**
 * Phrasing that tries to override a model's instructions or push it into an unrestricted persona ("ignore all
 * previous instructions", "you are now DAN", "reveal your system prompt"). Looked for in prose and in code
 * comments/strings and front matter alike, since all of it is fed to AI heads.
 */
import type { Finding, ScanRule } from '../rule.js';

interface Pattern {
  readonly re: RegExp;
  readonly code: string;
  readonly what: string;
  readonly weight: number;
}

const P: readonly Pattern[] = [
  {
    re: /\b(?:ignore|disregard|forget|override|skip)\s+(?:all\s+|any\s+|the\s+|your\s+|every\s+)*(?:previous|prior|above|earlier|preceding|original|system|safety)\s+(?:instructions?|rules?|prompts?|guidelines?|directives?|constraints?|messages?)/gi,
    code: 'instruction_override',
    what: 'asks to ignore earlier instructions',
    weight: 40,
  },
  {
    re: /\b(?:forget|ignore)\s+(?:everything|all)\s+(?:you\s+(?:were|have\s+been)\s+told|above|before)/gi,
    code: 'instruction_override',
    what: 'asks to forget earlier instructions',
    weight: 40,
  },
  {
    re: /\byou\s+are\s+(?:now\s+)?(?:DAN|in\s+(?:developer|god|jailbreak|unrestricted)\s+mode|no\s+longer\s+bound|an?\s+(?:unrestricted|unfiltered|uncensored|jailbroken)\b)/gi,
    code: 'roleplay_jailbreak',
    what: 'tries to switch the model into an unrestricted persona',
    weight: 40,
  },
  {
    re: /\b(?:act|behave|respond|roleplay|role-play)\s+as\s+(?:if\s+you\s+(?:were|are)\s+)?(?:an?\s+)?(?:unrestricted|unfiltered|uncensored|jailbroken|evil|rogue)\b/gi,
    code: 'roleplay_jailbreak',
    what: 'asks the model to role-play without restrictions',
    weight: 35,
  },
  {
    re: /\bpretend\s+(?:to\s+be|you\s+are|that\s+you)\b[^.\n]{0,80}\b(?:no|without|free\s+of)\s+(?:restrictions|rules|limits|filters|guidelines)/gi,
    code: 'roleplay_jailbreak',
    what: 'asks the model to pretend it has no rules',
    weight: 35,
  },
  {
    re: /\b(?:do\s+anything\s+now|developer\s+mode\s+(?:enabled|on)|jailbreak(?:ed)?\s+mode)\b/gi,
    code: 'roleplay_jailbreak',
    what: 'uses a known jailbreak phrase',
    weight: 35,
  },
  {
    re: /\b(?:reveal|print|show|output|repeat|leak|dump)\s+(?:me\s+)?(?:your|the)\s+(?:full\s+|hidden\s+|original\s+)?(?:system\s+prompt|hidden\s+instructions|initial\s+instructions|secret\s+instructions)/gi,
    code: 'prompt_exfiltration',
    what: 'asks the model to reveal its system prompt',
    weight: 35,
  },
  {
    re: /\b(?:bypass|disable|circumvent|turn\s+off|evade)\s+(?:the\s+|any\s+|all\s+)?(?:safety|security|content|injection|guard|scanner|filter|moderation)(?:\s+(?:checks?|filters?|guards?|rules?|scanner|policies))?\b/gi,
    code: 'guard_bypass',
    what: 'asks to bypass safety checks',
    weight: 30,
  },
  {
    re: /\b(?:from\s+now\s+on|henceforth),?\s+you\s+(?:will|must|shall|are\s+to)\b/gi,
    code: 'instruction_override',
    what: 'redefines the model\u2019s behaviour "from now on"',
    weight: 20,
  },
  {
    // At a line start: `^` with the m flag, and blanks that are not line breaks. `(?:^|\n)\s*` retried from every
    // line break of a long run of blank lines, which was quadratic in the run's length.
    re: /^[^\S\n]*(?:#+[^\S\n]*)?(?:new|updated|real)\s+(?:system\s+)?instructions?\s*:/gim,
    code: 'instruction_override',
    what: 'injects a "new instructions" block',
    weight: 25,
  },
  {
    re: /<\|?(?:im_start|system|endoftext)\|?>|\[\/?INST\]/gi,
    code: 'chat_template_injection',
    what: 'contains chat-template control tokens',
    weight: 30,
  },
];

export const instructionOverride: ScanRule = {
  id: 'instruction-override',
  run(ctx) {
    const findings: Finding[] = [];
    for (const seg of ctx.segments) {
      for (const p of P) {
        for (const m of seg.text.matchAll(p.re)) {
          findings.push({
            code: p.code,
            severity: 'error',
            message: `${seg.kind === 'code' ? 'code block' : seg.kind === 'front-matter' ? 'front matter' : 'text'} ${p.what}: "${m[0].trim().slice(0, 60)}"`,
            offset: seg.offset + m.index + (m[0].length - m[0].trimStart().length),
            length: m[0].trim().length,
            weight: p.weight,
          });
        }
      }
    }
    return findings;
  },
};
