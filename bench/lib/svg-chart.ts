/** A grouped bar chart (SVG, no dependencies) of the throughput rows: Mpps per pair, per scenario. */
export interface ChartRow {
  pattern: string;
  size: number;
  from: string;
  to: string;
  pps: number;
  ratio: number;
}

const COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759'];

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function renderChart(rows: readonly ChartRow[]): string {
  const groups: string[] = [];
  const pairs: string[] = [];
  for (const r of rows) {
    const g = `${r.pattern} ${r.size} B`;
    if (!groups.includes(g)) groups.push(g);
    const p = `${r.from} -> ${r.to}`;
    if (!pairs.includes(p)) pairs.push(p);
  }
  const max = Math.max(0.001, ...rows.map((r) => (Number.isFinite(r.pps) ? r.pps / 1e6 : 0)));
  const width = 900;
  const height = 420;
  const left = 60;
  const top = 40;
  const plotH = 280;
  const groupW = (width - left - 20) / Math.max(1, groups.length);
  const barW = (groupW - 20) / Math.max(1, pairs.length);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">memif throughput, Mpps (ratio to dpdk-testpmd -> dpdk-testpmd above each bar)</text>`,
  ];
  for (let t = 0; t <= 4; t++) {
    const v = (max * t) / 4;
    const y = top + plotH - (plotH * t) / 4;
    parts.push(`<line x1="${left}" x2="${width - 20}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 6}" y="${y + 4}" text-anchor="end">${v.toFixed(2)}</text>`);
  }
  groups.forEach((g, gi) => {
    const x0 = left + gi * groupW + 10;
    parts.push(`<text x="${x0 + (groupW - 20) / 2}" y="${top + plotH + 18}" text-anchor="middle">${escapeXml(g)}</text>`);
    pairs.forEach((p, pi) => {
      const row = rows.find((r) => `${r.pattern} ${r.size} B` === g && `${r.from} -> ${r.to}` === p);
      if (row === undefined || !Number.isFinite(row.pps)) return;
      const h = (plotH * row.pps) / 1e6 / max;
      const x = x0 + pi * barW;
      const y = top + plotH - h;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLORS[pi % COLORS.length]}"><title>${escapeXml(p)}: ${(row.pps / 1e6).toFixed(3)} Mpps</title></rect>`,
      );
      parts.push(
        `<text x="${(x + barW / 2 - 1).toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle" font-size="9">${row.ratio.toFixed(2)}x</text>`,
      );
    });
  });
  pairs.forEach((p, pi) => {
    const y = top + plotH + 40 + pi * 16;
    parts.push(`<rect x="${left}" y="${y - 9}" width="10" height="10" fill="${COLORS[pi % COLORS.length]}"/>`);
    parts.push(`<text x="${left + 16}" y="${y}">${escapeXml(p)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
