#!/usr/bin/env node
// The npm package mailauth (pinned in package.json beside this file) as a peer of MailSecurity in the bench.
//
//   node mailauth_check.js check [--warm]   JSON lines on stdin, one case each; one JSON line per case on stdout:
//                                           {"id", "answer", "ms", "timedOut", "detail"}
//   node mailauth_check.js sign <keys.json> <outDir>
//                                           writes the DKIM/ARC bench messages (signed with the lab's keys) and
//                                           prints their case lines (messages.jsonl)
//
// Case kinds (every DNS question goes to the case's "server"/"port", the same resolver our side asks):
//   {"kind":"spf", "host", "mailfrom", "helo"}        SPF check_host() (RFC 7208), answer = result name
//   {"kind":"mtasts", "domain"}                        MTA-STS discovery and policy fetch (RFC 8461 §3), answer =
//                                                      "no-policy" | "<mode> mx=<patterns>" | "error" (reason in detail)
//   {"kind":"message", "path"}                         DKIM signatures and ARC chain of a message file, answer =
//                                                      "dkim=<d/s:result,...> arc=<result>"
// --warm runs every case once, untimed, before the timed pass (steady state: a warm process).
// "ms" is the case's own wall time inside this process; "timedOut" is true when a DNS question of the case ended in a
// resolver timeout (c-ares ETIMEOUT) or an HTTPS request timed out.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { performance } = require('node:perf_hooks');
const { Resolver } = require('node:dns').promises;
const { spf } = require('mailauth/lib/spf');
const { dkimVerify } = require('mailauth/lib/dkim/verify');
const { arc, sealMessage } = require('mailauth/lib/arc');
const { dkimSign } = require('mailauth/lib/dkim/sign');
const mtaSts = require('mailauth/lib/mta-sts');

const TIMEOUT_MS = Number(process.env.MAILAUTH_PEER_TIMEOUT_MS || 1000);

// A resolver bound to one server, as mailauth's resolver option expects (name, type) => records; it notes timeouts.
function makeResolver(server, port, state) {
    const r = new Resolver({ timeout: TIMEOUT_MS, tries: 1 });
    r.setServers([port && Number(port) !== 53 ? `${server}:${port}` : server]);
    return async (name, type) => {
        try {
            return await r.resolve(name, type);
        } catch (err) {
            if (err && err.code === 'ETIMEOUT') state.timedOut = true;
            throw err;
        }
    };
}

async function checkSpf(c, resolver) {
    const res = await spf({ ip: c.host, sender: c.mailfrom || `postmaster@${c.helo}`, helo: c.helo, mta: 'bench.invalid', resolver });
    return { answer: res.status.result, detail: res.status.comment || '' };
}

async function checkMtaSts(c, resolver, state) {
    const res = await mtaSts.getPolicy(c.domain, null, { resolver });
    const p = res.policy || {};
    if (res.status === 'not_found') return { answer: 'no-policy', detail: 'no policy' };
    if (res.status === 'errored') {
        // No policy applies either way; the reason is the detail (its words differ from ours).
        const code = (p.error && (p.error.code || p.error.message)) || 'error';
        if (code === 'HTTP_SOCKET_TIMEOUT') state.timedOut = true;
        return { answer: 'error', detail: `${code}: ${p.error ? String(p.error.message) : ''}` };
    }
    const mx = (p.mx || []).slice().sort().join(',');
    return { answer: `${p.mode} mx=${mx}`, detail: `id=${p.id} max_age=${p.maxAge}` };
}

async function checkMessage(c, resolver) {
    const message = fs.readFileSync(c.path);
    const dkim = await dkimVerify(message, { resolver, minBitLength: 1024 });
    const sigs = (dkim.results || [])
        .filter(r => r.signingDomain || r.selector)
        .map(r => `${r.signingDomain}/${r.selector}:${r.status.result}`);
    let arcResult = 'none';
    if (dkim.arc && dkim.arc.chain && dkim.arc.chain.length) {
        const a = await arc(dkim.arc, { resolver, minBitLength: 1024 });
        arcResult = (a && a.status && a.status.result) || 'none';
    }
    const comments = (dkim.results || []).map(r => r.status.comment).filter(Boolean);
    return { answer: `dkim=${sigs.join(',') || 'none'} arc=${arcResult}`, detail: comments.join('; ') };
}

async function runCase(c) {
    const state = { timedOut: false };
    const resolver = makeResolver(c.server, c.port, state);
    const t = performance.now();
    let out;
    try {
        switch (c.kind) {
            case 'spf': out = await checkSpf(c, resolver); break;
            case 'mtasts': out = await checkMtaSts(c, resolver, state); break;
            case 'message': out = await checkMessage(c, resolver); break;
            default: throw new Error(`unknown case kind ${c.kind}`);
        }
    } catch (err) {
        // A crash is an answer worth reporting, not a reason to stop.
        out = { answer: `exception:${err.code || err.name}`, detail: String(err.message) };
    }
    const ms = performance.now() - t;
    return { id: c.id, answer: out.answer, ms: Math.round(ms * 100) / 100, timedOut: state.timedOut, detail: out.detail };
}

async function check(warm) {
    const cases = [];
    const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of rl) if (line.trim()) cases.push(JSON.parse(line));
    if (warm) for (const c of cases) await runCase(c);
    for (const c of cases) process.stdout.write(JSON.stringify(await runCase(c)) + '\n');
}

// The DKIM/ARC bench messages. keys.json: {"rsa": <PEM path>, "ed25519": <PEM path>, "weak": ..., "short": ...,
// "domain": "keys.dkim-lab.test", "sealDomain": ..., "server", "port"}. Each message is signed once, then some are
// changed after signing on purpose (the expected verdict follows from RFC 6376 §6.1.3 and RFC 8617 §5.2).
async function sign(keysPath, outDir) {
    const k = JSON.parse(fs.readFileSync(keysPath, 'utf8'));
    const key = name => fs.readFileSync(k[name], 'utf8');
    fs.mkdirSync(outDir, { recursive: true });
    const base = (subject, body) => Buffer.from(
        'From: Alice <alice@' + k.domain + '>\r\nTo: bob@example.net\r\nSubject: ' + subject + '\r\n' +
        'Date: Sun, 06 Dec 2026 10:00:00 +0000\r\nMessage-ID: <' + subject.replace(/\W+/g, '-') + '@' + k.domain + '>\r\n' +
        'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n' + body + '\r\n');
    const dkim = async (msg, selector, keyName, opts = {}) => {
        const r = await dkimSign(msg, {
            signTime: new Date('2026-12-06T10:00:00Z'),
            signatureData: [Object.assign({ signingDomain: k.domain, selector, privateKey: key(keyName), canonicalization: 'relaxed/relaxed' }, opts)]
        });
        if (r.errors && r.errors.length) throw new Error(`signing ${selector}: ${r.errors.map(e => e.message || e).join('; ')}`);
        return Buffer.concat([Buffer.from(r.signatures), msg]);
    };
    const seal = async (msg, cv, instanceNote) => Buffer.concat([await sealMessage(msg, {
        signingDomain: k.domain, selector: 'good', privateKey: key('rsa'), cv,
        authResults: `mx.${k.domain}; dkim=pass header.d=${k.domain} (${instanceNote})`,
        signTime: new Date('2026-12-06T10:00:00Z')
    }), msg]);
    const tamperBody = msg => Buffer.from(msg.toString('utf8').replace('Hello there.', 'Hello there, changed.'));
    const tamperSubject = msg => Buffer.from(msg.toString('utf8').replace(/^Subject: (.*)$/m, 'Subject: $1 (changed)'));

    const messages = [];
    const add = (name, buf) => { const p = path.join(outDir, name + '.eml'); fs.writeFileSync(p, buf); messages.push({ id: name, path: p }); };
    const hello = s => base(s, 'Hello there.\r\nThis is a bench message.');
    add('dkim-rsa-relaxed', await dkim(hello('rsa relaxed'), 'good', 'rsa'));
    add('dkim-rsa-simple', await dkim(hello('rsa simple'), 'good', 'rsa', { canonicalization: 'simple/simple' }));
    add('dkim-ed25519', await dkim(hello('ed25519'), 'ed25519', 'ed25519', { algorithm: 'ed25519-sha256' }));
    add('dkim-body-changed', tamperBody(await dkim(hello('body changed'), 'good', 'rsa')));
    add('dkim-subject-changed', tamperSubject(await dkim(hello('subject changed'), 'good', 'rsa')));
    add('dkim-weak-1024', await dkim(hello('weak key'), 'weak', 'weak'));
    add('dkim-short-512', await dkim(hello('short key'), 'short', 'short'));
    add('dkim-testing-key', await dkim(hello('testing key'), 'testing', 'rsa'));
    add('dkim-revoked-key', await dkim(hello('revoked key'), 'revoked', 'rsa'));
    add('dkim-no-key-record', await dkim(hello('no key record'), 'missing', 'rsa'));
    add('dkim-key-without-p', await dkim(hello('key without p'), 'nop', 'rsa'));
    add('dkim-key-sha1-only', await dkim(hello('key h=sha1'), 'sha1', 'rsa'));
    add('dkim-key-bogus-dnssec', await dkim(hello('key lookup servfail'), 'fail', 'rsa'));
    add('dkim-two-signatures', await dkim(await dkim(hello('two signatures'), 'ed25519', 'ed25519', { algorithm: 'ed25519-sha256' }), 'good', 'rsa'));
    const arc1 = await seal(await dkim(hello('arc one hop'), 'good', 'rsa'), 'none', 'first hop');
    add('arc-one-set', arc1);
    const arc2 = await seal(await seal(await dkim(hello('arc two hops'), 'good', 'rsa'), 'none', 'first hop'), 'pass', 'second hop');
    add('arc-two-sets', arc2);
    add('arc-body-changed', tamperBody(await seal(await dkim(hello('arc body changed'), 'good', 'rsa'), 'none', 'first hop')));
    add('arc-seal-cv-fail', await seal(await dkim(hello('arc cv fail'), 'good', 'rsa'), 'fail', 'sealer says fail'));
    const lines = messages.map(m => JSON.stringify(Object.assign({ kind: 'message', server: k.server, port: k.port }, m)));
    process.stdout.write(lines.join('\n') + '\n');
}

const [mode, ...rest] = process.argv.slice(2);
const run = mode === 'sign' ? sign(rest[0], rest[1]) : mode === 'check' ? check(rest.includes('--warm')) : Promise.reject(new Error('usage: mailauth_check.js check [--warm] | sign <keys.json> <outDir>'));
run.catch(err => { process.stderr.write(`${err.stack || err}\n`); process.exit(1); });
