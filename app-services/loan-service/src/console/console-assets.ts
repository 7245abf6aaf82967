/**
 * The console's one stylesheet, served from the service (`style-src 'self'`): no inline styles,
 * no scripts at all. Focus is always visible; colours meet WCAG AA contrast on white.
 */
export const CONSOLE_CSS = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1d2433;background:#f5f6f8}
a{color:#0b57a4}
a:focus,button:focus,input:focus,textarea:focus,select:focus{outline:3px solid #f0a500;outline-offset:2px}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff;padding:6px;z-index:2}
header{display:flex;align-items:center;justify-content:space-between;gap:16px;padding:10px 24px;background:#12355b;color:#fff}
header h1{font-size:18px;margin:0}
header .who{font-size:13px;display:flex;gap:12px;align-items:center}
header button{background:#fff;color:#12355b;border:0;border-radius:4px;padding:4px 10px;cursor:pointer}
nav{background:#fff;border-bottom:1px solid #d5d9e0;padding:0 24px}
nav ul{list-style:none;margin:0;padding:0;display:flex;gap:4px;flex-wrap:wrap}
nav a{display:block;padding:10px 12px;text-decoration:none;color:#1d2433}
nav a[aria-current=page]{border-bottom:3px solid #12355b;font-weight:600}
main{padding:16px 24px;max-width:1100px}
h2{font-size:20px;margin:4px 0 12px}h3{font-size:16px;margin:18px 0 8px}
section.card{background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:12px 16px;margin:0 0 14px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e3e6eb;vertical-align:top}
th{background:#eef1f5;font-weight:600}
.meta{color:#4a5568;font-size:13px}
.status{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600}
.status-approved{background:#dff3e4;color:#14532d}.status-proposed{background:#fff3c4;color:#713f12}.status-rejected{background:#fde2e1;color:#7f1d1d}
.added{background:#e6f6ea}.removed{background:#fdeaea}.changed{background:#fff7d6}
.notice{border-left:4px solid #1f7a3a;background:#eaf7ee;padding:8px 12px;margin:0 0 14px}
.error{border-left:4px solid #b42318;background:#fdeceb;padding:8px 12px;margin:0 0 14px}
form.inline{display:inline-block;margin:0 8px 0 0}
label{display:block;font-weight:600;margin:8px 0 4px}
textarea,input[type=text]{width:100%;font:13px/1.4 ui-monospace,"DejaVu Sans Mono",monospace;padding:6px;border:1px solid #8a94a6;border-radius:4px}
button.primary{background:#12355b;color:#fff;border:0;border-radius:4px;padding:6px 14px;cursor:pointer;margin-top:8px}
button.danger{background:#b42318;color:#fff;border:0;border-radius:4px;padding:6px 14px;cursor:pointer;margin-top:8px}
button[disabled]{background:#9aa3b2;cursor:not-allowed}
.hint{font-size:13px;color:#4a5568;margin:4px 0}
table.editor td{padding:3px 4px}table.editor input,table.editor select{width:100%}
select{font:inherit;padding:4px;border:1px solid #8a94a6;border-radius:4px;background:#fff}
details{margin-top:12px}summary{cursor:pointer;color:#0b57a4}
`;
