import Foundation
import InteractionMonitor
import InteractionMonitorAnalytics

/// The live page: the `report` page's content inside a container, a live-alerts section and a small inline script
/// that polls `/api/state` and swaps in `/api/report` when the generation changes. No external resources; the
/// script runs under a per-response CSP nonce.
enum DashboardPage {
    static func render(_ s: DashboardState.Snapshot, nonce: String, pollMilliseconds: Int) -> String {
        let head = s.head.isEmpty ? "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>InteractionMonitor</title></head>" : s.head
        let extraStyle = """
            <style>#im-live{margin:0 0 16px}#im-live ul{margin:6px 0 0;padding-left:18px;font-size:13px}
            #im-live li.k-error_rate_spike,#im-live li.k-drop_burst{color:#b3261e}#im-live li.k-latency_regression{color:#9a5b00}
            .live-dot{display:inline-block;width:8px;height:8px;border-radius:50%;background:#1e8e3e;margin-right:6px}</style>
            """
        return head.replacingOccurrences(of: "</head>", with: extraStyle + "</head>") + """
            <body>
            <div class="sub" id="im-status"><span class="live-dot"></span>Live · checked <span id="im-updated">\(HTMLText.escape(s.updated.iso8601))</span> · \
            <span id="im-count">\(s.interactions)</span> interactions · view <span id="im-generation">\(s.generation)</span></div>
            <section id="im-live"><h2>Live alerts</h2><ul id="im-alert-list">\(alertItems(s.alerts))</ul></section>
            <div id="im-report">\(s.reportBody)</div>
            <script nonce="\(nonce)">
            (function(){
              var gen=\(s.generation);
              function el(id){return document.getElementById(id);}
              function alerts(list){
                var ul=el('im-alert-list');ul.textContent='';
                if(!list.length){var li=document.createElement('li');li.textContent='No alerts since the server started.';ul.appendChild(li);return;}
                list.forEach(function(a){var li=document.createElement('li');li.className='k-'+a.kind;
                  li.textContent=a.at+' '+a.kind+' '+(a.command||'-')+': '+a.message;ul.appendChild(li);});
              }
              function tick(){
                fetch('/api/state',{credentials:'same-origin',cache:'no-store'}).then(function(r){
                  if(r.status===401){el('im-status').textContent='Not authorised any more: open the URL with ?token= again.';throw new Error('401');}
                  return r.json();
                }).then(function(s){
                  el('im-updated').textContent=s.updated;el('im-count').textContent=s.interactions;alerts(s.alerts);
                  if(s.generation!==gen){
                    return fetch('/api/report',{credentials:'same-origin',cache:'no-store'}).then(function(r){return r.text();}).then(function(h){
                      el('im-report').innerHTML=h;gen=s.generation;el('im-generation').textContent=gen;
                    });
                  }
                }).catch(function(e){if(String(e).indexOf('401')<0){el('im-updated').textContent='(update failed: '+e+')';}}).then(function(){setTimeout(tick,\(pollMilliseconds));});
              }
              setTimeout(tick,\(pollMilliseconds));
            })();
            </script>
            </body></html>

            """
    }

    static func alertItems(_ alerts: [LiveAlert]) -> String {
        guard !alerts.isEmpty else { return "<li>No alerts since the server started.</li>" }
        return alerts.reversed().map { a in
            "<li class=\"k-\(a.kind.rawValue)\">\(HTMLText.escape("\(a.at.iso8601) \(a.kind.rawValue) \(a.command ?? "-"): \(a.message)"))</li>"
        }.joined()
    }
}

/// HTML text escaping.
enum HTMLText {
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
