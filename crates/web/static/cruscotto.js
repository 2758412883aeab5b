// Draws the charts of the dashboard from the tables on the page (ECharts). Each table marked
// `data-grafico` keeps its figures in `data-etichetta` / `data-valore` / `data-semaforo`; the
// chart goes above it, as an image whose text says the table holds the same figures.
(function () {
  'use strict';
  if (typeof echarts === 'undefined') { return; }
  // Bootstrap Italia's success, warning, danger, and greys.
  var LIGHTS = { verde: '#008055', giallo: '#A66300', rosso: '#D9364F', non_valutabile: '#5D7083', in_attesa: '#C5C7C9' };
  var SERIES = ['#0066CC', '#008055', '#A66300', '#D9364F', '#5D7083', '#004D99'];
  var FONT = { fontFamily: 'Titillium Web, Geneva, Tahoma, sans-serif' };

  function number(s) { return s === undefined || s === null || s === '' ? null : Number(s); }
  function it(v) { return v === null ? '—' : v.toLocaleString('it-IT', { maximumFractionDigits: 2 }); }
  // Tooltips are HTML: names come from the ente's data and are escaped before they get there.
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; });
  }

  function place(table) {
    var box = document.createElement('div');
    box.className = 'grafico' + (table.dataset.grafico === 'barre' && table.tBodies[0].rows.length > 8 ? ' grafico-alto' : '');
    box.setAttribute('role', 'img');
    var caption = table.caption ? table.caption.textContent.trim() : '';
    // The sentence comes translated from the page: `{}` is where the caption goes.
    box.setAttribute('aria-label', (table.dataset.descrizione || '{}').replace('{}', caption));
    var wrap = table.closest('.table-responsive') || table;
    wrap.parentNode.insertBefore(box, wrap);
    return echarts.init(box, null, { renderer: 'svg' });
  }

  function rows(table) {
    return Array.prototype.map.call(table.tBodies[0].rows, function (r) {
      return { label: r.dataset.etichetta, value: number(r.dataset.valore), light: r.dataset.semaforo };
    });
  }

  function bars(table) {
    var data = rows(table).reverse();
    place(table).setOption({
      textStyle: FONT, animation: false,
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', min: 0, max: function (v) { return Math.max(100, Math.ceil(v.max)); }, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', data: data.map(function (d) { return d.label; }), axisLabel: { width: 220, overflow: 'truncate' } },
      tooltip: { trigger: 'item', formatter: function (p) { return esc(p.name) + ': ' + it(p.value) + '%'; } },
      series: [{ type: 'bar', data: data.map(function (d) { return { value: d.value, itemStyle: { color: LIGHTS[d.light] || LIGHTS.in_attesa } }; }),
                 label: { show: true, position: 'right', formatter: function (p) { return p.value === null ? '' : it(p.value) + '%'; } } }]
    });
  }

  function pie(table) {
    var data = rows(table).filter(function (d) { return d.value > 0; });
    place(table).setOption({
      textStyle: FONT, animation: false,
      tooltip: { trigger: 'item', formatter: function (p) { return esc(p.name) + ': ' + p.value + ' (' + it(p.percent) + '%)'; } },
      series: [{ type: 'pie', radius: ['40%', '70%'], label: { formatter: '{b}: {c}' },
                 data: data.map(function (d) { return { name: d.label, value: d.value, itemStyle: { color: LIGHTS[d.light] } }; }) }]
    });
  }

  function lines(table) {
    var years = Array.prototype.map.call(table.tHead.querySelectorAll('th[data-anno]'), function (th) { return th.dataset.anno; });
    var series = Array.prototype.map.call(table.tBodies[0].rows, function (r, i) {
      var values = Array.prototype.map.call(r.querySelectorAll('td'), function (td) { return number(td.dataset.valore); });
      return { name: r.dataset.etichetta, type: 'line', connectNulls: false, symbolSize: 8, data: values,
               lineStyle: { width: i === 0 ? 4 : 2 }, color: SERIES[i % SERIES.length] };
    });
    place(table).setOption({
      textStyle: FONT, animation: false,
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 48, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: years },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      tooltip: { trigger: 'axis', valueFormatter: function (v) { return v === null || v === undefined ? '—' : it(v) + '%'; } },
      series: series
    });
  }

  var draw = { barre: bars, torta: pie, linee: lines };
  document.querySelectorAll('table[data-grafico]').forEach(function (t) {
    var f = draw[t.dataset.grafico];
    if (f) { f(t); }
  });
  window.addEventListener('resize', function () {
    document.querySelectorAll('.grafico').forEach(function (box) { var c = echarts.getInstanceByDom(box); if (c) { c.resize(); } });
  });
})();
