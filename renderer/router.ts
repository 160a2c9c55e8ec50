/**
 * Routes of the views that exist. Hash history works both from file:// (Electron) and over HTTP
 * (browser mode). Views that need an open project send the user Home when none is open.
 */
import { createRouter, createWebHashHistory, type Router } from 'vue-router'
import HomeView from './views/HomeView.vue'
import { useProjectStore } from './stores/project'

export function createAppRouter(): Router {
  const router = createRouter({
    history: createWebHashHistory(),
    routes: [
      { path: '/', name: 'home', component: HomeView },
      { path: '/gallery', name: 'gallery', component: () => import('./views/GalleryView.vue'), meta: { needsProject: true } },
      { path: '/editor/:id?', name: 'editor', component: () => import('./views/editor/EditorView.vue'), meta: { needsProject: true } },
      { path: '/balance', name: 'balance', component: () => import('./views/balance/BalanceView.vue'), meta: { needsProject: true } },
      { path: '/train', name: 'train', component: () => import('./views/train/TrainView.vue'), meta: { needsProject: true } },
      { path: '/review', name: 'review', component: () => import('./views/review/ReviewView.vue'), meta: { needsProject: true } },
      { path: '/:rest(.*)*', redirect: '/' },
    ],
  })
  router.beforeEach((to) => {
    if (to.meta.needsProject && !useProjectStore().isOpen) return { name: 'home' }
    return true
  })
  return router
}
