import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ChartBench } from './ChartBench';
import './styles.css';

const root = document.getElementById('root');
if (root) {
  // `?bench=chart`: chart frame-time page for the browser test; `?bench=idle`: the same feed without the chart.
  const bench = new URLSearchParams(window.location.search).get('bench');
  createRoot(root).render(
    <StrictMode>
      {bench === 'chart' || bench === 'idle' ? <ChartBench withChart={bench === 'chart'} /> : <App />}
    </StrictMode>,
  );
}
