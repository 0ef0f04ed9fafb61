/** The widget's styles, inside its shadow root: the store's CSS cannot reach them, and they cannot reach the store. */
export const STYLES = `
:host { all: initial !important; }
* { box-sizing: border-box; }
.root { position: fixed; bottom: 20px; inset-inline-end: 20px; z-index: 2147483000; font: 15px/1.5 system-ui, "Segoe UI", Tahoma, "Noto Sans Arabic", sans-serif; color: #1f2937; }
button { font: inherit; cursor: pointer; }
.launcher { width: 60px; height: 60px; border-radius: 50%; border: 0; background: #0f766e; color: #fff; box-shadow: 0 6px 20px rgba(0,0,0,.25); display: grid; place-items: center; margin-inline-start: auto; }
.launcher:focus-visible, .close:focus-visible, .send:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
.launcher svg { width: 28px; height: 28px; fill: currentColor; }
.panel { position: absolute; bottom: 76px; inset-inline-end: 0; width: min(370px, calc(100vw - 24px)); height: min(560px, calc(100vh - 110px)); background: #fff; border-radius: 16px; box-shadow: 0 12px 40px rgba(0,0,0,.25); display: flex; flex-direction: column; overflow: hidden; }
.panel[hidden] { display: none; }
header { background: #0f766e; color: #fff; padding: 14px 16px; display: flex; gap: 12px; align-items: flex-start; }
header .titles { flex: 1; min-width: 0; }
header h2 { margin: 0; font-size: 17px; font-weight: 700; }
header p { margin: 2px 0 0; font-size: 13px; opacity: .95; }
.dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: #86efac; margin-inline-end: 6px; }
.offline .dot { background: #fcd34d; }
.close { background: transparent; border: 0; color: #fff; font-size: 22px; line-height: 1; padding: 2px 6px; border-radius: 6px; }
.notice { background: #fef3c7; color: #78350f; padding: 10px 16px; font-size: 14px; border-bottom: 1px solid #fde68a; }
.notice[hidden] { display: none; }
.log { flex: 1; overflow-y: auto; padding: 14px 12px; display: flex; flex-direction: column; gap: 8px; background: #f8fafc; }
.msg { max-width: 82%; padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }
.msg.them { align-self: flex-start; background: #fff; border: 1px solid #e2e8f0; border-start-start-radius: 4px; }
.msg.me { align-self: flex-end; background: #0f766e; color: #fff; border-start-end-radius: 4px; }
.msg.system { align-self: center; background: #e2e8f0; color: #334155; font-size: 13px; text-align: center; max-width: 92%; }
.meta { font-size: 12px; color: #475569; padding: 0 14px 4px; min-height: 18px; }
form { border-top: 1px solid #e2e8f0; padding: 10px 12px; display: flex; flex-direction: column; gap: 8px; }
.fields { display: grid; gap: 6px; }
.fields[hidden] { display: none; }
label { font-size: 13px; color: #334155; display: grid; gap: 2px; }
input, textarea { font: inherit; width: 100%; border: 1px solid #94a3b8; border-radius: 10px; padding: 8px 10px; color: #1f2937; background: #fff; }
input:focus, textarea:focus { outline: 2px solid #0f766e; border-color: #0f766e; }
.compose { display: flex; gap: 8px; align-items: flex-end; }
textarea { resize: none; height: 44px; }
.send { border: 0; background: #0f766e; color: #fff; border-radius: 10px; padding: 10px 14px; font-weight: 600; }
.send:disabled { opacity: .6; cursor: default; }
.error { color: #b91c1c; font-size: 13px; margin: 0; }
.error:empty { display: none; }
`;
