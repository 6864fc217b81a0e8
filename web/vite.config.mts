// Vite build of the editor: web/ → web/dist, served by the Hookflow server at /.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist', emptyOutDir: true, sourcemap: false,
    // The app alone crossed Vite's 500 kB warning: React and the flow canvas (@xyflow and its d3 helpers) go into
    // chunks of their own, which also stay cached across editor releases. CodeMirror is already a lazy chunk.
    rolldownOptions: {
      // A slow build on a busy machine is not the user's concern at `npm start`: no plugin-timing report.
      checks: { bundlerTimings: false },
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 20 },
            { name: 'xyflow', test: /[\\/]node_modules[\\/](@xyflow|d3-[a-z-]+|zustand|classcat)[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/hooks': 'http://127.0.0.1:8080' } },
});
