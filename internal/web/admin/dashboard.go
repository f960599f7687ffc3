package admin

import "github.com/gin-gonic/gin"

func (a *Console) dashboardRoutes(g *gin.RouterGroup) {}
