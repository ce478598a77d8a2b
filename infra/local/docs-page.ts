/** A self-contained page that renders /openapi.json for reading in a browser (no external scripts). */
export const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ocean Commerce Hub API</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:960px;padding:0 1rem;color:#1b1f24}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}
details{border:1px solid #ddd;border-radius:6px;margin:.5rem 0;padding:.4rem .8rem}
summary{cursor:pointer}code,pre{font:13px ui-monospace,monospace}pre{background:#f6f8fa;padding:.6rem;overflow:auto}
.m{display:inline-block;min-width:4.5rem;font-weight:700}.GET{color:#0a7}.POST{color:#06c}.PUT{color:#a60}.DELETE{color:#c33}
.role{float:right;color:#666;font-size:.85rem}
</style></head><body><h1>Ocean Commerce Hub API</h1><p id="intro"></p><div id="ops">Loading /openapi.json…</div>
<script>
fetch('/openapi.json').then(r=>r.json()).then(doc=>{
  document.getElementById('intro').textContent=doc.info.description;
  const byTag={};
  for(const [path,item] of Object.entries(doc.paths))for(const [method,op] of Object.entries(item))
    (byTag[op.tags[0]]??=[]).push({path,method:method.toUpperCase(),op});
  const esc=s=>String(s).replace(/[&<>]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;'}[c]));
  const json=v=>'<pre>'+esc(JSON.stringify(v,null,2))+'</pre>';
  let html='';
  for(const [tag,ops] of Object.entries(byTag)){
    html+='<h2>'+esc(tag)+'</h2>';
    for(const {path,method,op} of ops){
      html+='<details><summary><span class="m '+method+'">'+method+'</span><code>'+esc(path)+'</code> — '+esc(op.summary)
        +'<span class="role">'+(op['x-required-role']?'role: '+op['x-required-role']:'public')+'</span></summary>';
      if(op.parameters.length)html+='<h4>Parameters</h4>'+json(op.parameters);
      if(op.requestBody)html+='<h4>Body</h4>'+json(op.requestBody.content['application/json'].schema);
      html+='<h4>Responses</h4>'+json(op.responses)+'</details>';
    }
  }
  document.getElementById('ops').innerHTML=html;
});
</script></body></html>`;
