import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ChartBench } from './ChartBench';
import './styles.css';

const root = document.getElementById('root');
if (root) {
  const bench = new URLSearchParams(window.location.search).get('bench') === 'chart';
  createRoot(root).render(<StrictMode>{bench ? <ChartBench /> : <App />}</StrictMode>);
}
