package admin

import "github.com/gin-gonic/gin"

func (a *Console) auditRoutes(g *gin.RouterGroup) {}
