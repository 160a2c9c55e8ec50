/**
 * Renderer entry: one client, Pinia, the app facts and open project, then the router and the shell.
 * When the host already has a project open (`labelloop serve <project>`), the app starts in its gallery.
 */
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import 'vue-virtual-scroller/index.css'
import './styles/theme.css'
import App from './App.vue'
import { createClient, installClient } from './api'
import { createAppRouter } from './router'
import { useProjectStore } from './stores/project'

/** The access token only opens the session (the host answers with a cookie); keep it out of the address bar. */
function dropTokenFromUrl(): void {
  const url = new URL(window.location.href)
  if (!url.searchParams.has('token')) return
  url.searchParams.delete('token')
  window.history.replaceState(window.history.state, '', url.toString())
}

async function start(): Promise<void> {
  const app = createApp(App)
  installClient(app, createClient())
  const pinia = createPinia()
  app.use(pinia)
  dropTokenFromUrl()
  const project = useProjectStore(pinia)
  await project.init()
  const router = createAppRouter()
  app.use(router)
  await router.isReady()
  if (project.isOpen && router.currentRoute.value.name === 'home') await router.replace({ name: 'gallery' })
  app.mount('#app')
}

void start()
